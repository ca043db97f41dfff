// The escrow journal: an append-only audit of every Lightning call the node makes for an order,
// written before the call (intent) and after it (outcome), so an operator can reconstruct what
// happened to the money and start-up reconciliation can see calls that never got an answer.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface JournalEntry {
  seq: number;
  order_id: string;
  step: string;
  detail: unknown;
  at: number;
}

// JSON with what JSON.stringify would lose: bigints as strings, errors as { name, message, code }.
const replacer = (_key: string, v: unknown): unknown => {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Error) return { name: v.name, message: v.message, code: (v as { code?: unknown }).code };
  return v;
};

/** Appends one entry; `detail` is stored as JSON. Returns its sequence number. */
export function appendJournal(db: Db, orderId: string, step: string, detail: unknown, at: number): number {
  const json = JSON.stringify(detail ?? null, replacer);
  return Number(
    stmt(db, 'INSERT INTO escrow_journal (order_id, step, detail, at) VALUES (?, ?, ?, ?)').run(orderId, step, json, at)
      .lastInsertRowid,
  );
}

/** An order's entries, oldest first. */
export function listJournal(db: Db, orderId: string): JournalEntry[] {
  const rows = stmt(db, 'SELECT * FROM escrow_journal WHERE order_id = ? ORDER BY seq').all(orderId) as (Omit<
    JournalEntry,
    'detail'
  > & { detail: string })[];
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }));
}
