// A node's kind 38385 info event → the settings a client needs (protocol.md §6.3), plus the relay
// list (10002) and exchange rates (30078). Only protocol_version 1 means gift wrap; absent ⇒ kind 14.
import { type NostrEvent, type Transport, transportForProtocolVersion } from '@mostro/protocol';

export interface NodeInfo {
  pubkey: string;
  version: string | null;
  transport: Transport;
  protocolVersion: 1 | 2;
  minOrderSats: number | null;
  maxOrderSats: number | null;
  /** Total fee fraction; each party pays half. */
  fee: number;
  pow: number;
  /** Difficulty for the first events of a fresh trade key on v2 (defaults to pow). */
  powFirstContact: number;
  expirationHours: number;
  /** Waiting-state timeout (taker must pay / send invoice within this). */
  expirationSeconds: number;
  fiatCurrencies: string[];
  maxOrdersPerResponse: number;
  holdInvoiceExpirationWindow: number | null;
  network: string | null;
  name: string | null;
  bondEnabled: boolean;
  /** The node's reputation issuer key when it offers export-reputation; null = not offered. */
  reputationIssuer: string | null;
  /** Issuer keys whose attestations it imports; null = import-reputation not offered. */
  reputationImportIssuers: string[] | null;
  /** Maintenance (drain) mode: new orders and takes are refused; null = the node does not say (< 0.20). */
  maintenance: boolean | null;
  createdAt: number;
}

const num = (v: string | undefined, fallback: number): number => {
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
};

export function parseNodeInfo(e: NostrEvent): NodeInfo | null {
  if (e.kind !== 38385) return null;
  const t = new Map<string, string[]>();
  for (const tag of e.tags) if (tag[0] && !t.has(tag[0])) t.set(tag[0], tag);
  const v = (name: string) => t.get(name)?.[1];
  // 0.20 clients assume kind 14 unless a node explicitly advertises v1.
  const pv = v('protocol_version') === '1' ? 1 : 2;
  const pow = Math.max(0, Math.floor(num(v('pow'), 0)));
  const min = num(v('min_order_amount'), Number.NaN);
  const max = num(v('max_order_amount'), Number.NaN);
  return {
    pubkey: e.pubkey,
    version: v('mostro_version') ?? null,
    transport: transportForProtocolVersion(pv),
    protocolVersion: pv,
    minOrderSats: Number.isFinite(min) ? min : null,
    maxOrderSats: Number.isFinite(max) ? max : null,
    fee: num(v('fee'), 0),
    pow,
    powFirstContact: Math.max(pow, Math.floor(num(v('pow_first_contact'), pow))),
    expirationHours: num(v('expiration_hours'), 24),
    expirationSeconds: num(v('expiration_seconds'), 900),
    fiatCurrencies: (v('fiat_currencies_accepted') ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    maxOrdersPerResponse: num(v('max_orders_per_response'), 10),
    holdInvoiceExpirationWindow: Number.isFinite(num(v('hold_invoice_expiration_window'), Number.NaN))
      ? num(v('hold_invoice_expiration_window'), 0)
      : null,
    network: v('lnd_networks') ?? null,
    name: t.get('y')?.[2] ?? null,
    bondEnabled: v('bond_enabled') === 'true',
    reputationIssuer: v('reputation_issuer') ?? null,
    reputationImportIssuers: t.get('reputation_import_issuers')?.slice(1) ?? null,
    maintenance: v('maintenance_mode') === 'true' ? true : v('maintenance_mode') === 'false' ? false : null,
    createdAt: e.created_at,
  };
}

/** Relay URLs from a kind 10002 event (`r` tags, ws/wss only). */
export function parseRelayList(e: NostrEvent): string[] {
  if (e.kind !== 10002) return [];
  return e.tags
    .filter((t) => t[0] === 'r' && typeof t[1] === 'string' && /^wss?:\/\//.test(t[1]))
    .map((t) => t[1] as string);
}

/** Fiat per 1 BTC from a kind 30078 `d=mostro-rates` event. */
export function parseRates(e: NostrEvent): Record<string, number> {
  if (e.kind !== 30078 || !e.tags.some((t) => t[0] === 'd' && t[1] === 'mostro-rates')) return {};
  try {
    const btc = (JSON.parse(e.content) as { BTC?: Record<string, unknown> }).BTC ?? {};
    const out: Record<string, number> = {};
    for (const [code, value] of Object.entries(btc))
      if (typeof value === 'number' && value > 0) out[code.toUpperCase()] = value;
    return out;
  } catch {
    return {};
  }
}

/** Per-party fee in sats for an amount (Rust f64::round: half away from zero). */
export function partyFee(amountSats: number, fee: number): number {
  const x = (fee * amountSats) / 2;
  return Math.sign(x) * Math.round(Math.abs(x));
}
