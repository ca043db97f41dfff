// release (protocol.md §5.7 step 6): the seller releases; the hold invoice is settled, an open
// dispute closes as `released` (0.20; its solver is told), the buyer is told, a range order continues, and the buyer is paid.
// The release is journaled before the settle; if the settle call fails or the node stops before it
// is confirmed, the escrow finishes the settle later and then calls `announceRelease` itself, so the
// messages and the range child are never lost (`release.announced` makes that happen once).
import { getNextTrade } from '@mostro/protocol';
import { appendJournal, listJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { closeDisputeByParties } from '../disputes/user-resolution.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { createRangeChild, isTradeKey } from './range-child.ts';
import type { Request } from './request.ts';

export async function release(ctx: AppContext, request: Request): Promise<void> {
  let order = requireOrder(ctx, request);
  if (order.status !== 'fiat-sent' && order.status !== 'dispute') throw new CantDo('not_allowed_by_status');
  if (order.seller_pubkey !== request.sender) throw new CantDo('invalid_peer');
  const next = getNextTrade(request.message);
  if (next !== null && !isTradeKey(next.pubkey)) throw new CantDo('invalid_pubkey');
  const keepNext = next !== null && makerRole(order) === 'seller' && order.min_amount !== null;
  order = transaction(ctx.db, () => {
    const o = keepNext ? setOrder(ctx, order, { next_trade_pubkey: next.pubkey, next_trade_index: next.index }) : order;
    appendJournal(ctx.db, o.id, 'release.requested', { request_id: request.message.request_id }, ctx.clock.now());
    return o;
  });
  await ctx.escrow.settleAndPay(order, (settled) => announceRelease(ctx, settled, request));
}

/** True when the seller's release of this order was requested and not announced yet. */
export function releasePending(ctx: AppContext, orderId: string): boolean {
  const steps = listJournal(ctx.db, orderId).map((e) => e.step);
  return steps.includes('release.requested') && !steps.includes('release.announced');
}

/** What follows a settled release: dispute closed, buyer told, range child, seller told and asked to rate. */
export async function announceRelease(ctx: AppContext, settled: OrderRow, request?: Request): Promise<void> {
  // The journal step, the messages (outbox rows) and the range child commit together: announced
  // means told, and the rest of a range is on the book.
  transaction(ctx.db, () => {
    appendJournal(ctx.db, settled.id, 'release.announced', {}, ctx.clock.now());
    void closeDisputeByParties(ctx, settled.id, 'released');
    void notify(ctx, settled, 'buyer', 'released');
    if (request) {
      void reply(ctx, request, 'hold-invoice-payment-settled', { id: settled.id });
    } else {
      void notify(ctx, settled, 'seller', 'hold-invoice-payment-settled');
    }
    void notify(ctx, settled, 'seller', 'rate');
    createRangeChild(ctx, settled);
  });
}
