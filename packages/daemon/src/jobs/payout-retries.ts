// Buyer payouts after release (protocol.md §5.7 step 7): settles that failed after the decision was
// persisted, payments in flight (asked by hash, never re-sent), and failed payments retried every
// `payment_retries_interval` seconds up to `payment_attempts`; after that the buyer was asked for a
// new invoice and nothing happens until it arrives.
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { listOrdersByStatus } from '../db/orders.ts';

export async function retryPayouts(ctx: AppContext): Promise<string[]> {
  const escrow = escrowOf(ctx);
  const { payment_attempts, payment_retries_interval } = ctx.settings.lightning;
  const touched: string[] = [];
  for (const order of listOrdersByStatus(ctx.db, 'settled-hold-invoice')) {
    try {
      if (order.hold_state === 'accepted') {
        await escrow.finishSettle(order.id);
      } else if (order.hold_state !== 'settled') {
        continue;
      } else if (order.payout_state === 'failed' || order.failed_payment) {
        if (order.payment_attempts >= payment_attempts) continue;
        const last = escrow.lastPayoutAttemptAt(order.id);
        if (last !== null && ctx.clock.now() - last < payment_retries_interval) continue;
      } else if (order.payout_state === 'succeeded') {
        continue;
      }
      touched.push(order.id);
      await escrow.payBuyer(order.id);
    } catch (error) {
      ctx.log.warn(`payout: order ${order.id} left for the next run`, error);
    }
  }
  return touched;
}
