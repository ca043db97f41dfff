// release (protocol.md §5.7 step 6): the seller releases; the hold invoice is settled, an open
// dispute closes as settled, the buyer is told, a range order continues, and the buyer is paid.
import { getNextTrade } from '@mostro/protocol';
import { getDisputeByOrder, updateDispute } from '../db/disputes.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { setOrder } from './order-update.ts';
import { createRangeChild } from './range-child.ts';
import type { Request } from './request.ts';

export async function release(ctx: AppContext, request: Request): Promise<void> {
  let order = requireOrder(ctx, request);
  if (order.status !== 'fiat-sent' && order.status !== 'dispute') throw new CantDo('not_allowed_by_status');
  if (order.seller_pubkey !== request.sender) throw new CantDo('invalid_peer');
  const next = getNextTrade(request.message);
  if (next !== null && makerRole(order) === 'seller' && order.min_amount !== null) {
    order = setOrder(ctx, order, { next_trade_pubkey: next.pubkey, next_trade_index: next.index });
  }
  await ctx.escrow.settleAndPay(order, async (settled) => {
    const dispute = getDisputeByOrder(ctx.db, settled.id);
    if (dispute && (dispute.status === 'initiated' || dispute.status === 'in-progress')) {
      if (updateDispute(ctx.db, dispute.id, { status: 'settled' }, { ifStatus: dispute.status })) {
        await ctx.publish.dispute(getDisputeByOrder(ctx.db, settled.id)!);
      }
    }
    await notify(ctx, settled, 'buyer', 'released');
    await createRangeChild(ctx, settled);
    await reply(ctx, request, 'hold-invoice-payment-settled', { id: settled.id });
    await notify(ctx, settled, 'seller', 'rate');
  });
}
