// Gauges read at scrape time: orders by status and escrow state (counts and sats) from the database,
// relays by status.
import type { Db } from '../db/open.ts';
import { stmt } from '../db/statements.ts';
import type { Metrics } from './registry.ts';

type Row = { key: string | null; n: number };

export function collectState(metrics: Metrics, db: Db, relayStatuses: () => Record<string, string>): void {
  metrics.orders.reset();
  for (const r of stmt(db, 'SELECT status AS key, COUNT(*) AS n FROM orders GROUP BY status').all() as Row[])
    metrics.orders.set({ status: r.key ?? 'none' }, r.n);
  metrics.escrow.reset();
  for (const r of stmt(db, 'SELECT hold_state AS key, COUNT(*) AS n FROM orders GROUP BY hold_state').all() as Row[])
    if (r.key) metrics.escrow.set({ kind: 'hold', state: r.key }, r.n);
  for (const r of stmt(
    db,
    'SELECT payout_state AS key, COUNT(*) AS n FROM orders GROUP BY payout_state',
  ).all() as Row[])
    if (r.key) metrics.escrow.set({ kind: 'payout', state: r.key }, r.n);
  const sum = (sql: string) => Number((stmt(db, sql).get() as { n: number | null }).n ?? 0);
  metrics.escrowSats.set(
    { state: 'held' },
    sum("SELECT SUM(amount + fee) AS n FROM orders WHERE hold_state = 'accepted'"),
  );
  metrics.escrowSats.set(
    { state: 'paying_out' },
    sum("SELECT SUM(amount - fee) AS n FROM orders WHERE status = 'settled-hold-invoice'"),
  );
  metrics.relayConnections.reset();
  const counts: Record<string, number> = {};
  for (const status of Object.values(relayStatuses())) counts[status] = (counts[status] ?? 0) + 1;
  for (const [status, n] of Object.entries(counts)) metrics.relayConnections.set({ status }, n);
}
