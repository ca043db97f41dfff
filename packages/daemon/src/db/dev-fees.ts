// The dev-fee columns of orders (migration 005). Only the dev-fee job writes them, and never the
// order's status, so these updates need no status condition: a buyer payout moving the order to
// `success` at the same time does not conflict with them.
import type { Db } from './open.ts';
import type { OrderRow } from './orders.ts';
import { stmt } from './statements.ts';

/** Order statuses in which the node holds the fee: the hold invoice has been settled. */
export const DEV_FEE_PAYABLE_STATUSES = ['settled-hold-invoice', 'success'] as const;

/** The dev-fee columns of an order row: the same fields, read alone. */
export type DevFeeRow = Pick<
  OrderRow,
  | 'id'
  | 'status'
  | 'dev_fee'
  | 'dev_fee_paid'
  | 'dev_fee_paid_at'
  | 'dev_fee_claim'
  | 'dev_fee_claimed_at'
  | 'dev_fee_payment_hash'
  | 'dev_fee_payment_request'
  | 'dev_fee_failed_attempts'
  | 'dev_fee_next_attempt_at'
>;

const COLUMNS =
  'id, status, dev_fee, dev_fee_paid, dev_fee_paid_at, dev_fee_claim, dev_fee_claimed_at, dev_fee_payment_hash, ' +
  'dev_fee_payment_request, dev_fee_failed_attempts, dev_fee_next_attempt_at';

export function getDevFee(db: Db, orderId: string): DevFeeRow | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM orders WHERE id = ?`).get(orderId) as DevFeeRow | undefined;
}

/** Orders owing a dev fee that are due now and not claimed by a run younger than `claimStaleBefore`. */
export function listDueDevFees(db: Db, now: number, claimStaleBefore: number): DevFeeRow[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM orders
     WHERE status IN ('settled-hold-invoice', 'success') AND dev_fee > 0 AND dev_fee_paid = 0
       AND dev_fee_next_attempt_at <= ? AND (dev_fee_claimed_at IS NULL OR dev_fee_claimed_at < ?)
     ORDER BY updated_at`,
  ).all(now, claimStaleBefore) as DevFeeRow[];
}

/** Orders whose hold invoice is settled and whose dev fee is not paid yet (the health event). */
export function countOwedDevFees(db: Db): number {
  const row = stmt(
    db,
    `SELECT COUNT(*) AS n FROM orders
     WHERE status IN ('settled-hold-invoice', 'success') AND dev_fee > 0 AND dev_fee_paid = 0`,
  ).get() as { n: number };
  return row.n;
}

/** Orders whose dev fee is being paid or awaits a verdict by hash (the drain counter C). */
export function countInflightDevFees(db: Db): number {
  const row = stmt(
    db,
    'SELECT COUNT(*) AS n FROM orders WHERE dev_fee_paid = 0 AND (dev_fee_claim IS NOT NULL OR dev_fee_payment_hash IS NOT NULL)',
  ).get() as { n: number };
  return row.n;
}

/** Takes the order for one run; false when another (younger than `claimStaleBefore`) holds it. */
export function claimDevFee(db: Db, orderId: string, claim: string, now: number, claimStaleBefore: number): boolean {
  return (
    stmt(
      db,
      `UPDATE orders SET dev_fee_claim = ?, dev_fee_claimed_at = ?
       WHERE id = ? AND dev_fee_paid = 0 AND (dev_fee_claimed_at IS NULL OR dev_fee_claimed_at < ?)`,
    ).run(claim, now, orderId, claimStaleBefore).changes === 1
  );
}

/** Persists the invoice about to be paid; false when the claim was lost (then nothing is paid). */
export function recordDevFeeInvoice(db: Db, orderId: string, claim: string, hash: string, request: string): boolean {
  return (
    stmt(
      db,
      `UPDATE orders SET dev_fee_payment_hash = ?, dev_fee_payment_request = ?
       WHERE id = ? AND dev_fee_claim = ? AND dev_fee_paid = 0 AND dev_fee_payment_hash IS NULL`,
    ).run(hash, request, orderId, claim).changes === 1
  );
}

export function markDevFeePaid(db: Db, orderId: string, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE orders SET dev_fee_paid = 1, dev_fee_paid_at = ?, dev_fee_claim = NULL, dev_fee_claimed_at = NULL
       WHERE id = ? AND dev_fee_paid = 0`,
    ).run(now, orderId).changes === 1
  );
}

/** Ends a run without a verdict (payment in flight, Lightning unreachable): the hash is kept. */
export function releaseDevFeeClaim(db: Db, orderId: string): void {
  stmt(db, 'UPDATE orders SET dev_fee_claim = NULL, dev_fee_claimed_at = NULL WHERE id = ?').run(orderId);
}

/**
 * A failed attempt: the claim is released, the next attempt waits until `nextAttemptAt`. The hash is
 * cleared only when Lightning said the payment failed for good (`clearHash`), so a fresh invoice may
 * be fetched; otherwise it stays and the next run asks about it.
 */
export function recordDevFeeFailure(db: Db, orderId: string, nextAttemptAt: number, clearHash: boolean): void {
  stmt(
    db,
    `UPDATE orders SET dev_fee_claim = NULL, dev_fee_claimed_at = NULL,
       dev_fee_failed_attempts = dev_fee_failed_attempts + 1, dev_fee_next_attempt_at = ?,
       dev_fee_payment_hash = CASE WHEN ? THEN NULL ELSE dev_fee_payment_hash END,
       dev_fee_payment_request = CASE WHEN ? THEN NULL ELSE dev_fee_payment_request END
     WHERE id = ?`,
  ).run(nextAttemptAt, clearHash ? 1 : 0, clearHash ? 1 : 0, orderId);
}
