// What `mostro inspect` found in one event: the layers it could open, a verdict per check, and the
// Mostro message (canonical JSON) or chat text. Pure: event and key in, report out.
import {
  type ChatChannel,
  type ChatRejection,
  channelFromKey,
  chatChannel,
  type NostrEvent,
  openChat,
  publicKeyOf,
  serializeMessage,
  type TransportFailure,
  type Unwrapped,
  unwrapMessage,
} from '@mostro/protocol';

export type CheckVerdict = 'pass' | 'fail' | 'absent' | 'not reached';

export interface ReportCheck {
  name: string;
  verdict: CheckVerdict;
  detail?: string;
}

export interface ReportLayer {
  name: string;
  event: Record<string, unknown>;
}

export interface InspectReport {
  /** What the event was read as. */
  format: 'gift-wrap' | 'nip44' | 'chat' | 'chat-legacy';
  /** false: nothing decrypted with this key. */
  forKey: boolean;
  ok: boolean;
  layers: ReportLayer[];
  checks: ReportCheck[];
  /** Canonical JSON of the Mostro message. */
  message?: string;
  sender?: string;
  identity?: string;
  createdAt?: number;
  chat?: { text: string; author: string; createdAt: number; innerId: string };
  error?: string;
}

const ofVerdict = (v: 'valid' | 'invalid' | 'absent' | undefined): CheckVerdict =>
  v === 'valid' ? 'pass' : v === 'invalid' ? 'fail' : v === 'absent' ? 'absent' : 'not reached';

function messageReport(r: Unwrapped | TransportFailure, format: 'gift-wrap' | 'nip44'): InspectReport {
  const c = r.checks;
  const checks: ReportCheck[] = [{ name: 'outer event id and signature', verdict: ofVerdict(c.outerSignature) }];
  if (format === 'gift-wrap') {
    checks.push({ name: 'seal signature', verdict: ofVerdict(c.sealSignature) });
    checks.push({ name: 'rumor id', verdict: ofVerdict(c.rumorId) });
  }
  // The trade-signature verdict is only set once the tuple parsed.
  const tuple: CheckVerdict =
    r.ok || c.tradeSignature !== undefined ? 'pass' : r.code === 'malformed_content' ? 'fail' : 'not reached';
  checks.push({ name: 'content tuple parses', verdict: tuple });
  checks.push({ name: 'trade signature', verdict: ofVerdict(c.tradeSignature) });
  checks.push({
    name: 'identity proof',
    verdict: format === 'gift-wrap' ? 'absent' : ofVerdict(c.identityProof),
    ...(format === 'gift-wrap' ? { detail: 'v1: the seal signer is the identity' } : {}),
  });
  const layers: ReportLayer[] = [];
  if (r.layers.outer)
    layers.push({
      name: format === 'gift-wrap' ? 'gift wrap (kind 1059)' : 'direct message (kind 14)',
      event: { ...r.layers.outer },
    });
  if (r.layers.seal) layers.push({ name: 'seal (kind 13)', event: { ...r.layers.seal } });
  if (r.layers.rumor) layers.push({ name: 'rumor (kind 1)', event: { ...r.layers.rumor } });
  if (r.layers.plaintext !== undefined)
    layers.push({ name: 'content tuple', event: { plaintext: r.layers.plaintext } });
  const report: InspectReport = { format, forKey: true, ok: r.ok, layers, checks };
  if (r.ok) {
    report.message = serializeMessage(r.message);
    report.sender = r.sender;
    report.identity = r.identity;
    report.createdAt = r.createdAt;
  } else {
    report.error = `${r.code}: ${r.detail}`;
  }
  return report;
}

/** Receive-order checks of the chat formats, each named by the rejection it would produce. */
const CURRENT_STEPS: [ChatRejection, string][] = [
  ['wrong_p_tag', 'single p tag = pub(key) (key is K_conv)'],
  ['future_event', 'not more than 60 s in the future'],
  ['too_large', 'content ≤ 64 KiB'],
  ['bad_outer_signature', 'outer event id and signature'],
  ['decrypt_failed', 'NIP-44 decryption'],
  ['malformed_inner', 'inner event well-formed'],
  ['bad_inner_signature', 'inner event id and signature'],
  ['wrong_inner_kind', 'inner kind 1'],
  ['time_skew', 'inner and outer time within 60 s'],
];
const AUTHOR_STEP: [ChatRejection, string] = ['wrong_author', 'author = pub(K_sign)'];
const LEGACY_STEPS = CURRENT_STEPS.filter(([r]) => r !== 'wrong_p_tag' && r !== 'time_skew');

/**
 * `channel` is either read-only (built from a disclosed K_conv or legacy key: the author cannot be
 * checked) or complete (built from the ECDH shared secret: pub(K_sign) known and checked first).
 */
function chatReport(event: NostrEvent, channel: ChatChannel, legacy: boolean): InspectReport {
  const authorKnown = !legacy && channel.current?.signPub != null;
  const r = openChat(
    event,
    legacy ? { current: null, legacy: channel.legacy } : { current: channel.current, legacy: null },
    {
      allowedSigners: null, // inspection: the parties are not known here, the signer is shown instead
    },
  );
  const steps = legacy ? LEGACY_STEPS : authorKnown ? [AUTHOR_STEP, ...CURRENT_STEPS] : CURRENT_STEPS;
  const failedAt = r.ok ? steps.length : steps.findIndex(([reason]) => reason === r.reason);
  const checks: ReportCheck[] = steps.map(([, name], i) => ({
    name,
    verdict: i < failedAt ? 'pass' : i === failedAt ? 'fail' : 'not reached',
  }));
  if (!legacy && !authorKnown) {
    checks.unshift({ name: 'author = pub(K_sign)', verdict: 'absent', detail: 'not checkable from K_conv alone' });
  }
  const layers: ReportLayer[] = [
    { name: legacy ? 'legacy chat wrap (kind 1059)' : 'chat envelope (kind 14)', event: { ...event } },
  ];
  const report: InspectReport = {
    format: legacy ? 'chat-legacy' : 'chat',
    forKey: r.ok || failedAt > steps.findIndex(([x]) => x === 'decrypt_failed'),
    ok: r.ok,
    layers,
    checks,
  };
  if (r.ok) {
    layers.push({ name: 'inner event (kind 1)', event: { ...r.message.inner } });
    report.chat = {
      text: r.message.text,
      author: r.message.author,
      createdAt: r.message.createdAt,
      innerId: r.message.innerId,
    };
  } else {
    report.error = r.reason;
  }
  return report;
}

/** Decode one event with one key. `null`: nothing in it is for this key. */
export function inspectEvent(event: NostrEvent, key: Uint8Array): InspectReport | null {
  const me = publicKeyOf(key);
  if (event.kind === 14) {
    const ps = event.tags.filter((t) => t[0] === 'p');
    // A chat envelope is addressed to pub(K_conv); a protocol message to a node or trade key.
    if (ps.some((t) => t[1] === me) && event.pubkey !== me) {
      const chat = chatReport(event, channelFromKey(key), false);
      if (chat.forKey) return chat;
    }
    // The key may be the ECDH shared secret itself (which is also the legacy key): derive K_conv/K_sign.
    const full = chatChannel(key);
    if (ps.some((t) => t[1] === full.current!.conv.publicKey)) {
      const chat = chatReport(event, full, false);
      if (chat.forKey) return chat;
    }
    const r = unwrapMessage(event, key, { myPublicKey: me });
    return r ? messageReport(r, 'nip44') : null;
  }
  if (event.kind === 1059) {
    const r = unwrapMessage(event, key, { myPublicKey: me });
    // A legacy chat wrap decrypts like a gift wrap but holds the kind 1 directly (no seal).
    if (r && (r.ok || r.layers.seal?.kind !== 1)) return messageReport(r, 'gift-wrap');
    const chat = chatReport(event, channelFromKey(key), true);
    if (chat.forKey) return chat;
    return r ? messageReport(r, 'gift-wrap') : null;
  }
  return null;
}
