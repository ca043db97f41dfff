// The escrow CLTV guardian (protocol.md §5.11): an accepted hold HTLC expires at a block height; the
// Lightning node cancels it on its own shortly before (LND: 12 blocks). Within
// `escrow_deadline_margin_blocks` of that height the node acts first: an `active` trade (no fiat
// sent) is canceled and the seller refunded; a `fiat-sent` trade gets a dispute opened on the
// buyer's behalf, so a solver decides before the sats go back on their own.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { notify, queueOrderEvent } from '../app/messages.ts';
import { insertDispute } from '../db/disputes.ts';
import { transaction } from '../db/open.ts';
import { listOrdersByStatus } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';

export interface GuardianAction {
  orderId: string;
  action: 'canceled' | 'dispute' | 'hold-lost';
}

export async function guardEscrowDeadlines(ctx: AppContext): Promise<GuardianAction[]> {
  const escrow = escrowOf(ctx);
  const info = await ctx.lightning.getInfo();
  if (!info.ok) throw new Error(`cltv guardian: backend unavailable (${info.error.message})`);
  const height = info.value.blockHeight;
  const margin = ctx.settings.lightning.escrow_deadline_margin_blocks;
  const actions: GuardianAction[] = [];
  for (const seen of listOrdersByStatus(ctx.db, ['active', 'fiat-sent', 'dispute'])) {
    if (!seen.hash || seen.hold_state !== 'accepted') continue;
    const hold = await ctx.lightning.getHoldInvoice(seen.hash);
    if (!hold.ok) continue;
    if (hold.value.state !== 'accepted') {
      // Canceled by the node already (too late for us): both are told, the order is canceled.
      await escrow.onHoldUpdate(hold.value);
      if (hold.value.state === 'canceled') actions.push({ orderId: seen.id, action: 'hold-lost' });
      continue;
    }
    const expiry = hold.value.htlcExpiryHeight;
    if (expiry === null || expiry - height > margin || seen.status === 'dispute') continue;
    const action = await escrow.exclusive(seen.id, async (order) => {
      if (!order || order.status !== seen.status) return null;
      if (order.status === 'active') {
        // The decision and its messages commit together, before the hold is touched.
        const canceled = transaction(ctx.db, () => {
          const o = setOrder(ctx, order, { status: 'canceled' });
          escrow.journal(order.id, 'cltv.cancel', { expiry, height });
          void notify(ctx, o, 'buyer', 'canceled');
          void notify(ctx, o, 'seller', 'canceled');
          queueOrderEvent(ctx, o);
          return o;
        });
        await escrow.cancelHoldLocked(canceled).catch((error) => {
          ctx.log.warn(`cltv guardian: hold of ${order.id} not canceled yet; the refund sweep retries`, error);
        });
        return 'canceled' as const;
      }
      const disputeId = randomUUID();
      const payload = { dispute: [disputeId, null] as [string, null] };
      transaction(ctx.db, () => {
        const row = insertDispute(ctx.db, {
          id: disputeId,
          order_id: order.id,
          status: 'initiated',
          order_previous_status: order.status,
          initiator: 'buyer',
          created_at: ctx.clock.now(),
        });
        const o = setOrder(ctx, order, { status: 'dispute', buyer_dispute: true });
        escrow.journal(order.id, 'cltv.dispute', { expiry, height, dispute: disputeId });
        void notify(ctx, o, 'buyer', 'dispute-initiated-by-you', { payload });
        void notify(ctx, o, 'seller', 'dispute-initiated-by-peer', { payload });
        void ctx.publish.dispute(row);
      });
      return 'dispute' as const;
    });
    if (action) actions.push({ orderId: seen.id, action });
  }
  return actions;
}
