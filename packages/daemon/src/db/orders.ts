// The orders aggregate. Rows use the column names (snake_case, like the wire format); booleans are
// converted at this boundary. Status changes can be made conditional on the current status
// (`ifStatus`), so two racing handlers cannot both move an order out of the same state.
import type { OrderKind, OrderStatus, Transport } from '@mostro/protocol';
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export type PayoutState = 'none' | 'in_flight' | 'succeeded' | 'failed';
export type HoldState = 'open' | 'accepted' | 'settled' | 'canceled';

export interface OrderRow {
  id: string;
  kind: OrderKind;
  event_id: string;
  hash: string | null;
  preimage: string | null;
  creator_pubkey: string;
  cancel_initiator_pubkey: string | null;
  buyer_pubkey: string | null;
  seller_pubkey: string | null;
  /** Identity of the buyer; null for a full-private buyer (never store a link for them). */
  master_buyer_pubkey: string | null;
  master_seller_pubkey: string | null;
  /** The transport each party last used, so that notifications reach them where they listen. */
  buyer_transport: Transport | null;
  seller_transport: Transport | null;
  status: OrderStatus;
  price_from_api: boolean;
  premium: number;
  payment_method: string;
  /** Sats; 0 for a market order until it is taken. */
  amount: number;
  min_amount: number | null;
  max_amount: number | null;
  fiat_code: string;
  fiat_amount: number;
  fee: number;
  dev_fee: number;
  /** The dev-fee payment (migration 005; written only by jobs/dev-fee.ts through db/dev-fees.ts). */
  dev_fee_paid: number;
  dev_fee_paid_at: number | null;
  dev_fee_claim: string | null;
  dev_fee_claimed_at: number | null;
  dev_fee_payment_hash: string | null;
  dev_fee_payment_request: string | null;
  dev_fee_failed_attempts: number;
  dev_fee_next_attempt_at: number;
  routing_fee: number;
  buyer_invoice: string | null;
  range_parent_id: string | null;
  invoice_held_at: number;
  taken_at: number;
  created_at: number;
  expires_at: number;
  buyer_dispute: boolean;
  seller_dispute: boolean;
  buyer_cooperativecancel: boolean;
  seller_cooperativecancel: boolean;
  buyer_sent_rate: boolean;
  seller_sent_rate: boolean;
  payment_attempts: number;
  failed_payment: boolean;
  trade_index_seller: number | null;
  trade_index_buyer: number | null;
  next_trade_pubkey: string | null;
  next_trade_index: number | null;
  /** created_at of the last published 38383 event of this order (the next must be greater). */
  last_published_at: number;
  payout_hash: string | null;
  payout_state: PayoutState;
  payout_fee: number;
  hold_state: HoldState | null;
  updated_at: number;
}

/** What an insert must say; every other column has a default. */
export type NewOrder = Pick<
  OrderRow,
  | 'id'
  | 'kind'
  | 'event_id'
  | 'creator_pubkey'
  | 'status'
  | 'payment_method'
  | 'amount'
  | 'fiat_code'
  | 'fiat_amount'
  | 'created_at'
  | 'expires_at'
> &
  Partial<OrderRow>;

export type OrderPatch = Partial<Omit<OrderRow, 'id'>>;

const DEFAULTS: Omit<OrderRow, 'id'> = {
  kind: 'sell',
  event_id: '',
  hash: null,
  preimage: null,
  creator_pubkey: '',
  cancel_initiator_pubkey: null,
  buyer_pubkey: null,
  seller_pubkey: null,
  master_buyer_pubkey: null,
  master_seller_pubkey: null,
  buyer_transport: null,
  seller_transport: null,
  status: 'pending',
  price_from_api: false,
  premium: 0,
  payment_method: '',
  amount: 0,
  min_amount: null,
  max_amount: null,
  fiat_code: '',
  fiat_amount: 0,
  fee: 0,
  dev_fee: 0,
  dev_fee_paid: 0,
  dev_fee_paid_at: null,
  dev_fee_claim: null,
  dev_fee_claimed_at: null,
  dev_fee_payment_hash: null,
  dev_fee_payment_request: null,
  dev_fee_failed_attempts: 0,
  dev_fee_next_attempt_at: 0,
  routing_fee: 0,
  buyer_invoice: null,
  range_parent_id: null,
  invoice_held_at: 0,
  taken_at: 0,
  created_at: 0,
  expires_at: 0,
  buyer_dispute: false,
  seller_dispute: false,
  buyer_cooperativecancel: false,
  seller_cooperativecancel: false,
  buyer_sent_rate: false,
  seller_sent_rate: false,
  payment_attempts: 0,
  failed_payment: false,
  trade_index_seller: null,
  trade_index_buyer: null,
  next_trade_pubkey: null,
  next_trade_index: null,
  last_published_at: 0,
  payout_hash: null,
  payout_state: 'none',
  payout_fee: 0,
  hold_state: null,
  updated_at: 0,
};

export const ORDER_COLUMNS = ['id', ...Object.keys(DEFAULTS)] as readonly (keyof OrderRow)[];
const COLUMN_SET = new Set<string>(ORDER_COLUMNS);
const BOOLEAN_COLUMNS = new Set<string>(
  Object.entries(DEFAULTS)
    .filter(([, v]) => typeof v === 'boolean')
    .map(([k]) => k),
);

/** Statuses after which nothing more happens to an order. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  'canceled',
  'canceled-by-admin',
  'settled-by-admin',
  'completed-by-admin',
  'cooperatively-canceled',
  'expired',
  'success',
];
/** Statuses in which a taker has a deadline (expiration_seconds from taken_at). */
export const WAITING_ORDER_STATUSES: readonly OrderStatus[] = ['waiting-buyer-invoice', 'waiting-payment'];

const toDb = (key: string, value: unknown): unknown => (BOOLEAN_COLUMNS.has(key) ? (value ? 1 : 0) : value);

function fromDb(row: Record<string, unknown> | undefined): OrderRow | undefined {
  if (!row) return undefined;
  for (const key of BOOLEAN_COLUMNS) row[key] = row[key] === 1;
  return row as unknown as OrderRow;
}
const allFromDb = (rows: unknown[]): OrderRow[] => rows.map((r) => fromDb(r as Record<string, unknown>)!);

const INSERT_SQL = `INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map((c) => `@${c}`).join(', ')})`;

/** Inserts an order; `updated_at` defaults to `created_at`. Throws on a duplicate id. */
export function insertOrder(db: Db, order: NewOrder): OrderRow {
  const row: OrderRow = { ...DEFAULTS, updated_at: order.created_at, ...order };
  const params: Record<string, unknown> = {};
  for (const c of ORDER_COLUMNS) params[c] = toDb(c, row[c]);
  stmt(db, INSERT_SQL).run(params);
  return row;
}

export function getOrder(db: Db, id: string): OrderRow | undefined {
  return fromDb(stmt(db, 'SELECT * FROM orders WHERE id = ?').get(id) as Record<string, unknown> | undefined);
}

export function getOrderByHash(db: Db, hash: string): OrderRow | undefined {
  return fromDb(stmt(db, 'SELECT * FROM orders WHERE hash = ?').get(hash) as Record<string, unknown> | undefined);
}

export interface UpdateOptions {
  /** Stamped into updated_at. */
  now: number;
  /** Only update if the order is currently in this status (or one of these). */
  ifStatus?: OrderStatus | readonly OrderStatus[];
}

/**
 * Applies `patch` to order `id`. Returns false (and changes nothing) if there is no such order or
 * it is not in `ifStatus`.
 */
export function updateOrder(db: Db, id: string, patch: OrderPatch, options: UpdateOptions): boolean {
  const keys = Object.keys(patch).filter(
    (k) => k !== 'updated_at' && (patch as Record<string, unknown>)[k] !== undefined,
  );
  for (const k of keys) if (!COLUMN_SET.has(k) || k === 'id') throw new TypeError(`updateOrder: unknown column ${k}`);
  const params: Record<string, unknown> = { id, updated_at: options.now };
  for (const k of keys) params[k] = toDb(k, (patch as Record<string, unknown>)[k]);
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'].join(', ');
  let where = 'id = @id';
  if (options.ifStatus !== undefined) {
    params.if_status = JSON.stringify(typeof options.ifStatus === 'string' ? [options.ifStatus] : options.ifStatus);
    where += ' AND status IN (SELECT value FROM json_each(@if_status))';
  }
  return stmt(db, `UPDATE orders SET ${sets} WHERE ${where}`).run(params).changes === 1;
}

export interface ListOptions {
  statuses?: readonly OrderStatus[];
  limit?: number;
  offset?: number;
}

const statusJson = (statuses: readonly OrderStatus[] | undefined): string | null =>
  statuses === undefined ? null : JSON.stringify(statuses);
const STATUS_FILTER = '(@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))';
const PAGE = 'ORDER BY created_at, id LIMIT @limit OFFSET @offset';
const page = (o: ListOptions) => ({ limit: o.limit ?? -1, offset: o.offset ?? 0 });

/** Orders in `status` (or any of several), oldest first. */
export function listOrdersByStatus(
  db: Db,
  status: OrderStatus | readonly OrderStatus[],
  options: Omit<ListOptions, 'statuses'> = {},
): OrderRow[] {
  const statuses = typeof status === 'string' ? [status] : status;
  return allFromDb(
    stmt(db, `SELECT * FROM orders WHERE ${STATUS_FILTER} ${PAGE}`).all({
      statuses: statusJson(statuses),
      ...page(options),
    }),
  );
}

/** Orders in which `pubkey` is the creator, the buyer or the seller trade key. */
export function findOrdersByTradePubkey(db: Db, pubkey: string, options: ListOptions = {}): OrderRow[] {
  return allFromDb(
    stmt(
      db,
      `SELECT * FROM orders WHERE (creator_pubkey = @pk OR buyer_pubkey = @pk OR seller_pubkey = @pk) AND ${STATUS_FILTER} ${PAGE}`,
    ).all({ pk: pubkey, statuses: statusJson(options.statuses), ...page(options) }),
  );
}

/** Orders in which `identity` is the master key of the buyer or the seller (restore-session). */
export function findOrdersByMasterPubkey(db: Db, identity: string, options: ListOptions = {}): OrderRow[] {
  return allFromDb(
    stmt(
      db,
      `SELECT * FROM orders WHERE (master_buyer_pubkey = @pk OR master_seller_pubkey = @pk) AND ${STATUS_FILTER} ${PAGE}`,
    ).all({ pk: identity, statuses: statusJson(options.statuses), ...page(options) }),
  );
}

/** Pending orders whose expires_at has passed (the expiration job). */
export function listPendingExpired(db: Db, now: number): OrderRow[] {
  return allFromDb(
    stmt(db, "SELECT * FROM orders WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at, id").all(now),
  );
}

/** Orders waiting on a taker's invoice or payment that were taken at or before `takenBefore`. */
export function listWaitingTimedOut(db: Db, takenBefore: number): OrderRow[] {
  return allFromDb(
    stmt(
      db,
      `SELECT * FROM orders WHERE status IN (SELECT value FROM json_each(@statuses)) AND taken_at > 0 AND taken_at <= @before
       ORDER BY taken_at, id`,
    ).all({ statuses: JSON.stringify(WAITING_ORDER_STATUSES), before: takenBefore }),
  );
}

/** Child orders of a range order. */
export function listRangeChildren(db: Db, parentId: string): OrderRow[] {
  return allFromDb(stmt(db, 'SELECT * FROM orders WHERE range_parent_id = ? ORDER BY created_at, id').all(parentId));
}

/** Orders whose buyer payout is in this state (e.g. 'in_flight' to reconcile at start-up). */
export function listOrdersByPayoutState(db: Db, state: PayoutState): OrderRow[] {
  return allFromDb(stmt(db, 'SELECT * FROM orders WHERE payout_state = ? ORDER BY updated_at, id').all(state));
}

/** Orders whose hold invoice was last seen in this state. */
export function listOrdersByHoldState(db: Db, state: HoldState): OrderRow[] {
  return allFromDb(stmt(db, 'SELECT * FROM orders WHERE hold_state = ? ORDER BY updated_at, id').all(state));
}

/**
 * The created_at for the next 38383 event of an order: `now`, or one more than the last one if
 * that is not later (replaceable events need strictly increasing created_at). Stored before the
 * caller publishes, so a crash between the two never reuses a timestamp.
 */
export function claimOrderPublishTime(db: Db, id: string, now: number): number | undefined {
  const row = stmt(
    db,
    'UPDATE orders SET last_published_at = MAX(@now, last_published_at + 1) WHERE id = @id RETURNING last_published_at',
  ).get({ id, now }) as { last_published_at: number } | undefined;
  return row?.last_published_at;
}

/**
 * Claims the next 38383 revision of an order showing `bucket`: its created_at (as
 * claimOrderPublishTime; `now` for an order not stored), or null when there is nothing new to
 * publish: the order is still `in-progress` and already shown so (later steps stay private).
 */
export function claimOrderRevision(db: Db, id: string, bucket: string, now: number): number | null {
  return db.transaction(() => {
    const last = stmt(db, 'SELECT bucket FROM order_revisions WHERE order_id = ?').get(id) as
      | { bucket: string }
      | undefined;
    if (bucket === 'in-progress' && last?.bucket === bucket) return null;
    const at = claimOrderPublishTime(db, id, now);
    if (at === undefined) return now;
    stmt(
      db,
      'INSERT INTO order_revisions (order_id, bucket) VALUES (@id, @bucket) ON CONFLICT (order_id) DO UPDATE SET bucket = @bucket',
    ).run({ id, bucket });
    return at;
  })();
}
