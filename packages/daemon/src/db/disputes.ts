// The disputes aggregate: one dispute per order at most (order_id is unique).
import type { DisputeInitiator, DisputeStatus, OrderStatus } from '@mostro/protocol';
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface DisputeRow {
  id: string;
  order_id: string;
  status: DisputeStatus;
  /** The order's status when the dispute was opened (what a solver's decision returns from). */
  order_previous_status: OrderStatus;
  initiator: DisputeInitiator;
  solver_pubkey: string | null;
  created_at: number;
  taken_at: number;
  last_published_at: number;
}

export type NewDispute = Omit<DisputeRow, 'solver_pubkey' | 'taken_at' | 'last_published_at'> &
  Partial<Pick<DisputeRow, 'solver_pubkey' | 'taken_at' | 'last_published_at'>>;
export type DisputePatch = Partial<Omit<DisputeRow, 'id' | 'order_id'>>;

const COLUMNS = [
  'id',
  'order_id',
  'status',
  'order_previous_status',
  'initiator',
  'solver_pubkey',
  'created_at',
  'taken_at',
  'last_published_at',
] as const;
const PATCHABLE = new Set<string>(COLUMNS.filter((c) => c !== 'id' && c !== 'order_id'));

/** Inserts a dispute. Throws if the order already has one or does not exist. */
export function insertDispute(db: Db, dispute: NewDispute): DisputeRow {
  const row: DisputeRow = { solver_pubkey: null, taken_at: 0, last_published_at: 0, ...dispute };
  stmt(db, `INSERT INTO disputes (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(row);
  return row;
}

export function getDispute(db: Db, id: string): DisputeRow | undefined {
  return stmt(db, 'SELECT * FROM disputes WHERE id = ?').get(id) as DisputeRow | undefined;
}

export function getDisputeByOrder(db: Db, orderId: string): DisputeRow | undefined {
  return stmt(db, 'SELECT * FROM disputes WHERE order_id = ?').get(orderId) as DisputeRow | undefined;
}

/** Applies `patch`; returns false if there is no such dispute or it is not in `ifStatus`. */
export function updateDispute(
  db: Db,
  id: string,
  patch: DisputePatch,
  options: { ifStatus?: DisputeStatus | readonly DisputeStatus[] } = {},
): boolean {
  const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) return getDispute(db, id) !== undefined;
  for (const k of keys) if (!PATCHABLE.has(k)) throw new TypeError(`updateDispute: unknown column ${k}`);
  const params: Record<string, unknown> = { ...patch, id };
  let where = 'id = @id';
  if (options.ifStatus !== undefined) {
    params.if_status = JSON.stringify(typeof options.ifStatus === 'string' ? [options.ifStatus] : options.ifStatus);
    where += ' AND status IN (SELECT value FROM json_each(@if_status))';
  }
  const sets = keys.map((k) => `${k} = @${k}`).join(', ');
  return stmt(db, `UPDATE disputes SET ${sets} WHERE ${where}`).run(params).changes === 1;
}

export function listDisputesByStatus(db: Db, status: DisputeStatus | readonly DisputeStatus[]): DisputeRow[] {
  const statuses = JSON.stringify(typeof status === 'string' ? [status] : status);
  return stmt(
    db,
    'SELECT * FROM disputes WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
  ).all(statuses) as DisputeRow[];
}

export function listDisputesBySolver(db: Db, solverPubkey: string): DisputeRow[] {
  return stmt(db, 'SELECT * FROM disputes WHERE solver_pubkey = ? ORDER BY created_at, id').all(
    solverPubkey,
  ) as DisputeRow[];
}

/** The disputes of these orders (restore-session). */
export function listDisputesForOrders(db: Db, orderIds: readonly string[]): DisputeRow[] {
  if (orderIds.length === 0) return [];
  return stmt(
    db,
    'SELECT * FROM disputes WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
  ).all(JSON.stringify(orderIds)) as DisputeRow[];
}

/** The created_at for the next dispute event (strictly increasing; see claimOrderPublishTime). */
export function claimDisputePublishTime(db: Db, id: string, now: number): number | undefined {
  const row = stmt(
    db,
    'UPDATE disputes SET last_published_at = MAX(@now, last_published_at + 1) WHERE id = @id RETURNING last_published_at',
  ).get({ id, now }) as { last_published_at: number } | undefined;
  return row?.last_published_at;
}
