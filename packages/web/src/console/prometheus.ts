// The Prometheus text exposition format (version 0.0.4), read into samples, and the node-health
// figures the operator console shows, computed from two scrapes. Pure: no fetching, no clock.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

function unescapeLabel(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m) return text.slice(at).trim() === '' ? labels : null;
    labels[m[1] as string] = unescapeLabel(m[2] as string);
  }
  return labels;
}

function parseValue(v: string): number | null {
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  if (v === 'NaN') return Number.NaN;
  const n = Number(v);
  return Number.isNaN(n) ? null : n;
}

/** Every sample of the text; comments and lines that are not samples are skipped, never fatal. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels = m[3] === undefined ? {} : parseLabels(m[3]);
    const value = parseValue(m[4] as string);
    if (labels === null || value === null) continue;
    out.push({ name: m[1] as string, labels, value });
  }
  return out;
}

const matches = (s: Sample, name: string, where: Record<string, string>) =>
  s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v);

/** The sum of `name`'s samples whose labels include `where`. */
export function total(samples: readonly Sample[], name: string, where: Record<string, string> = {}): number {
  return samples.filter((s) => matches(s, name, where)).reduce((n, s) => n + s.value, 0);
}

/** `name`'s values grouped by one label (summed over the others), zeros left out. */
export function byLabel(samples: readonly Sample[], name: string, label: string, where: Record<string, string> = {}) {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (!matches(s, name, where)) continue;
    const key = s.labels[label] ?? '';
    out[key] = (out[key] ?? 0) + s.value;
  }
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
}

/** Statuses of an order that is still a trade (not finished, not a book entry). */
const OPEN_TRADE = [
  'waiting-buyer-invoice',
  'waiting-payment',
  'active',
  'fiat-sent',
  'dispute',
  'settled-hold-invoice',
  'waiting-maker-bond',
  'waiting-taker-bond',
];

export interface NodeFigures {
  relaysConnected: number;
  relaysTotal: number;
  /** Inbound events per second since the previous scrape, by outcome (null on the first scrape). */
  intakePerSecond: Record<string, number> | null;
  /** Events dropped or shed since start, by reason. */
  drops: Record<string, number>;
  openTrades: Record<string, number>;
  pendingOrders: number;
  /** Orders by hold-invoice state and by payout state. */
  holds: Record<string, number>;
  payouts: Record<string, number>;
  /** Sats in accepted hold invoices, and settled but not yet paid to the buyer. */
  heldSats: number;
  payingOutSats: number;
  outboxBacklog: number;
  lightningErrors: Record<string, number>;
  malformed: Record<string, number>;
}

const INTAKE = 'mostro_intake_events_total';

/** The figures of one scrape; rates need the previous scrape and the seconds between them. */
export function nodeFigures(now: readonly Sample[], before: readonly Sample[] | null, seconds: number): NodeFigures {
  const relays = byLabel(now, 'mostro_relay_connections', 'status');
  const outcomes = byLabel(now, INTAKE, 'outcome');
  let intakePerSecond: Record<string, number> | null = null;
  if (before && seconds > 0) {
    const was = byLabel(before, INTAKE, 'outcome');
    intakePerSecond = {};
    for (const [outcome, n] of Object.entries(outcomes)) {
      // A counter that went down means the node restarted: count from zero.
      const delta = n >= (was[outcome] ?? 0) ? n - (was[outcome] ?? 0) : n;
      intakePerSecond[outcome] = delta / seconds;
    }
  }
  const orders = byLabel(now, 'mostro_orders', 'status');
  const drops: Record<string, number> = {};
  for (const s of now) {
    if (s.name !== INTAKE || (s.labels.outcome !== 'dropped' && s.labels.outcome !== 'shed') || s.value === 0) continue;
    const reason = s.labels.reason || s.labels.outcome;
    drops[reason] = (drops[reason] ?? 0) + s.value;
  }
  return {
    relaysConnected: relays.connected ?? 0,
    relaysTotal: Object.values(relays).reduce((a, b) => a + b, 0),
    intakePerSecond,
    drops,
    openTrades: Object.fromEntries(Object.entries(orders).filter(([s]) => OPEN_TRADE.includes(s))),
    pendingOrders: orders.pending ?? 0,
    holds: byLabel(now, 'mostro_escrow_orders', 'state', { kind: 'hold' }),
    payouts: byLabel(now, 'mostro_escrow_orders', 'state', { kind: 'payout' }),
    heldSats: total(now, 'mostro_escrow_sats', { state: 'held' }),
    payingOutSats: total(now, 'mostro_escrow_sats', { state: 'paying_out' }),
    outboxBacklog: total(now, 'mostro_outbox_backlog'),
    lightningErrors: byLabel(now, 'mostro_lightning_call_errors_total', 'method'),
    malformed: byLabel(now, 'mostro_malformed_input_total', 'reason'),
  };
}
