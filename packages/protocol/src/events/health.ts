// Kind 38389 — the node's health (reference-0.20.md §3.5): addressable (`d` = node pubkey), tags
// in a fixed order, none repeated; the details go NIP-44-encrypted to a watchdog when one is set.
import { ProtocolError } from '../message/errors.ts';
import { checkInt, checkText, type EventTemplate, platformTag, readEvent, tagValue } from './common.ts';

export const HEALTH_EVENT_KIND = 38389;

export const CHECK_STATES = ['ok', 'warn', 'fail', 'unknown'] as const;
export type CheckState = (typeof CHECK_STATES)[number];
export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthCheck {
  /** `lnd_sync`, `payouts` (Lightning) or `cashu_mint` (Cashu), then `relays`, `database`. */
  name: string;
  state: CheckState;
  /** When it entered this state (≤ created_at). */
  since: number;
}

export interface HealthEventInput {
  nodePubkey: string;
  instanceName?: string | null;
  checks: readonly HealthCheck[];
  escrowMode: 'lightning' | 'cashu';
  /** Only when the last GetInfo answered. */
  lnd: { blockHeight: number; syncedToChain: boolean; network: string } | null;
  maintenance: boolean;
  version: string;
  interval: number;
  seq: number;
  watchdog?: string | null;
  /** Empty without a watchdog; else the NIP-44 payload for it. */
  content: string;
  now: number;
}

/** `down` if lnd_sync is fail/unknown or cashu_mint/database/relays fail; `degraded` if anything else is off or maintenance is on. */
export function healthStatus(checks: readonly HealthCheck[], maintenance: boolean): HealthStatus {
  const state = (name: string) => checks.find((c) => c.name === name)?.state;
  const lnd = state('lnd_sync');
  if (lnd === 'fail' || lnd === 'unknown') return 'down';
  if (['cashu_mint', 'database', 'relays'].some((n) => state(n) === 'fail')) return 'down';
  if (maintenance || checks.some((c) => c.state !== 'ok')) return 'degraded';
  return 'ok';
}

export function buildHealthEvent(input: HealthEventInput): EventTemplate {
  const tags: string[][] = [
    ['d', checkText(input.nodePubkey, 'nodePubkey')],
    platformTag(input.instanceName),
    ['z', 'health'],
    ['status', healthStatus(input.checks, input.maintenance)],
  ];
  const seen = new Set<string>();
  for (const c of input.checks) {
    if (seen.has(c.name)) throw new ProtocolError('invalid_value', 'checks', `check ${c.name} repeated`);
    seen.add(c.name);
    tags.push(['check', checkText(c.name, 'checks'), c.state, checkInt(Math.min(c.since, input.now), 'since')]);
  }
  tags.push(['escrow_mode', input.escrowMode]);
  if (input.lnd) {
    tags.push(
      ['lnd_block_height', checkInt(input.lnd.blockHeight, 'blockHeight')],
      ['lnd_synced_to_chain', String(input.lnd.syncedToChain)],
      ['lnd_network', checkText(input.lnd.network, 'network')],
    );
  }
  tags.push(
    ['maintenance_mode', String(input.maintenance)],
    ['mostro_version', checkText(input.version, 'version')],
    ['interval', checkInt(input.interval, 'interval')],
    ['seq', checkInt(input.seq, 'seq')],
  );
  if (input.watchdog) tags.push(['p', checkText(input.watchdog, 'watchdog')]);
  tags.push(['expiration', checkInt(input.now + 3 * input.interval, 'expiration')]);
  return { kind: HEALTH_EVENT_KIND, tags, content: input.content, created_at: input.now };
}

export interface HealthEventData {
  node: string;
  status: HealthStatus | null;
  checks: HealthCheck[];
  escrow_mode: string | null;
  lnd_block_height: number | null;
  lnd_synced_to_chain: boolean | null;
  lnd_network: string | null;
  maintenance_mode: boolean | null;
  mostro_version: string | null;
  interval: number | null;
  seq: number | null;
  watchdog: string | null;
  expiration: number | null;
}

const intOrNull = (v: string | undefined) => (v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : null);
const boolOrNull = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : null);

/** Reads a health event without a key (the encrypted content is the watchdog's). */
export function parseHealthEvent(event: unknown): HealthEventData {
  const { tags } = readEvent(event, HEALTH_EVENT_KIND);
  const d = tagValue(tags, 'd');
  if (d === undefined) throw new ProtocolError('missing_tag', 'tags.d', 'missing d tag');
  const status = tagValue(tags, 'status');
  const checks: HealthCheck[] = tags
    .filter((t) => t[0] === 'check' && t.length >= 4)
    .map((t) => ({
      name: t[1]!,
      state: (CHECK_STATES as readonly string[]).includes(t[2]!) ? (t[2] as CheckState) : 'unknown',
      since: intOrNull(t[3]) ?? 0,
    }));
  return {
    node: d,
    status: status === 'ok' || status === 'degraded' || status === 'down' ? status : null,
    checks,
    escrow_mode: tagValue(tags, 'escrow_mode') ?? null,
    lnd_block_height: intOrNull(tagValue(tags, 'lnd_block_height')),
    lnd_synced_to_chain: boolOrNull(tagValue(tags, 'lnd_synced_to_chain')),
    lnd_network: tagValue(tags, 'lnd_network') ?? null,
    maintenance_mode: boolOrNull(tagValue(tags, 'maintenance_mode')),
    mostro_version: tagValue(tags, 'mostro_version') ?? null,
    interval: intOrNull(tagValue(tags, 'interval')),
    seq: intOrNull(tagValue(tags, 'seq')),
    watchdog: tagValue(tags, 'p') ?? null,
    expiration: intOrNull(tagValue(tags, 'expiration')),
  };
}
