// Waiting-state timeouts (protocol.md §5.11): a taken order whose taker or maker did not add the
// invoice / pay the hold invoice in time. Whoever was expected to act is at fault: a taker's order
// goes back on the book, a maker's is canceled. The seller's hold invoice (if any) is canceled either
// way (a paid one refunds the seller).
//
// The deadlines, as in the reference: `expiration_seconds` after `taken_at` for the waiting state,
// and the hold invoice's own expiry (`hold_invoice_expiration_window` after it was created, which
// `taken_at` records) for the seller's payment. An unpaid hold invoice cannot be paid once expired,
// so the take ends then: it is not left in waiting-payment, looking payable, until
// `expiration_seconds`.
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { notify, queueOrderEvent } from '../app/messages.ts';
import { returnToBook } from '../app/republish.ts';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { listWaitingTimedOut } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';

export interface TimeoutOutcome {
  orderId: string;
  outcome: 'republished' | 'canceled';
}

/** Returns what it did per order; an order it could not handle is logged and retried next tick. */
export async function expireWaitingOrders(ctx: AppContext): Promise<TimeoutOutcome[]> {
  const now = ctx.clock.now();
  const waitingCutoff = now - ctx.settings.mostro.expiration_seconds - 1;
  const holdCutoff = now - ctx.settings.lightning.hold_invoice_expiration_window - 1;
  const due = (order: OrderRow) =>
    order.taken_at <= waitingCutoff || (awaitsHoldPayment(order) && order.taken_at <= holdCutoff);
  const done: TimeoutOutcome[] = [];
  for (const order of listWaitingTimedOut(ctx.db, Math.max(waitingCutoff, holdCutoff)).filter(due)) {
    try {
      const outcome = await timeOut(ctx, order, due);
      if (outcome) done.push({ orderId: order.id, outcome });
    } catch (error) {
      ctx.log.warn(`timeout: order ${order.id} left for the next run`, error);
    }
  }
  return done;
}

/** The seller was asked to pay a hold invoice and has not paid it. */
const awaitsHoldPayment = (order: OrderRow): boolean =>
  order.status === 'waiting-payment' && order.hold_state === 'open';

/** True when the taker is the one who did not act (§5.11). */
export const takerAtFault = (order: OrderRow): boolean =>
  (order.kind === 'sell' && order.status === 'waiting-buyer-invoice') ||
  (order.kind === 'buy' && order.status === 'waiting-payment');

function timeOut(
  ctx: AppContext,
  seen: OrderRow,
  due: (order: OrderRow) => boolean,
): Promise<TimeoutOutcome['outcome'] | null> {
  const escrow = escrowOf(ctx);
  return escrow.exclusive(seen.id, async (order) => {
    // Re-checked under the lock: a hold paid meanwhile is no longer due at its expiry.
    if (!order || order.status !== seen.status || order.taken_at !== seen.taken_at || !due(order)) return null;
    if (takerAtFault(order)) {
      await escrow.cancelHoldLocked(order);
      const taker = order.kind === 'sell' ? 'buyer' : 'seller';
      // The taker's notice commits with the order's return to the book (one transaction).
      transaction(ctx.db, () => {
        void notify(ctx, order, taker, 'canceled');
        returnToBook(ctx, order);
      });
      return 'republished';
    }
    // The decision and its messages commit together, before the hold is touched.
    const canceled = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, { status: 'canceled' });
      escrow.journal(order.id, 'timeout.cancel', { status: order.status });
      void notify(ctx, o, 'buyer', 'canceled');
      void notify(ctx, o, 'seller', 'canceled');
      queueOrderEvent(ctx, o);
      return o;
    });
    await escrow.cancelHoldLocked(canceled).catch((error) => {
      ctx.log.warn(`timeout: hold of order ${order.id} not canceled yet; the refund sweep retries`, error);
    });
    return 'canceled';
  });
}
