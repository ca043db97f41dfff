// What the serving node tells the app (/config.json) plus the user's own overrides (node, relays,
// language: not secrets, so localStorage). The app can also run against any other node: the user
// enters its npub and relays in the settings.
import { nip19 } from 'nostr-tools';

export interface ServedConfig {
  node: string;
  relays: string[];
  wallet: string | null;
  simulated: boolean;
}

export interface Prefs {
  node?: string;
  relays?: string[];
  lang?: 'en' | 'es';
  /** Privacy mode for new orders; defaults to the session's. */
  privacy?: 'reputation' | 'full-private';
  /** Minutes of inactivity before the session locks. */
  lockMinutes?: number;
  walletName?: string;
  /** Browser notifications for trade events while the tab is hidden (asked for in Settings). */
  browserNotifications?: boolean;
}

export interface AppConfig {
  nodeHex: string;
  npub: string;
  relays: string[];
  wallet: string | null;
  simulated: boolean;
}

const PREFS = 'mostro:prefs';

export function loadPrefs(): Prefs {
  try {
    return JSON.parse(localStorage.getItem(PREFS) ?? '{}') as Prefs;
  } catch {
    return {};
  }
}

export function savePrefs(p: Prefs): void {
  localStorage.setItem(PREFS, JSON.stringify(p));
}

/** Node key from an npub or 64 hex characters; null when it is neither. */
export function parseNodeKey(text: string): string | null {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return t.toLowerCase();
  try {
    const d = nip19.decode(t);
    return d.type === 'npub' ? d.data : null;
  } catch {
    return null;
  }
}

export function isRelayUrl(text: string): boolean {
  try {
    const u = new URL(text.trim());
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.host.length > 0;
  } catch {
    return false;
  }
}

export async function loadConfig(prefs: Prefs): Promise<AppConfig> {
  let served: ServedConfig | null = null;
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (res.ok) served = (await res.json()) as ServedConfig;
  } catch {
    served = null;
  }
  const npubText = prefs.node ?? served?.node ?? '';
  const nodeHex = parseNodeKey(npubText) ?? '';
  const relays = prefs.relays ?? served?.relays ?? [];
  // The wallet panel exists only for the node that served us and said it is simulated.
  const sameNode = !prefs.node || parseNodeKey(prefs.node) === parseNodeKey(served?.node ?? '');
  return {
    nodeHex,
    npub: nodeHex ? nip19.npubEncode(nodeHex) : '',
    relays,
    wallet: sameNode && served?.simulated ? served.wallet : null,
    simulated: sameNode && (served?.simulated ?? false),
  };
}
