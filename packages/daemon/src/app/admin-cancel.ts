// admin-cancel (protocol.md §7.3): the solver holding a dispute decides for the seller. `id` = the
// order id. The order becomes canceled-by-admin (published as `canceled`), the dispute
// seller-refunded, the hold invoice is canceled (the seller's sats go back) and solver, seller and
// buyer get admin-canceled. The decision is written before Lightning is asked, so a crash or a
// failed cancel leaves a canceled order whose hold the refund sweep cancels later. An order not
// taken yet is the node key's alone to cancel (admin-cancel-pretrade.ts).
import { transaction } from '../db/open.ts';
import { requireDecidingSolver } from '../disputes/access.ts';
import { refuseSlashing } from '../disputes/bond-resolution.ts';
import { closeDisputeRow } from '../disputes/close.ts';
import { setOrder } from '../orders/update.ts';
import { adminCancelPretrade, isPretrade } from './admin-cancel-pretrade.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { notify, queueOrderEvent, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

export async function adminCancel(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  if (isPretrade(order)) return adminCancelPretrade(ctx, request, order);
  requireDecidingSolver(ctx, request, order, 'not_allowed_by_status');
  if (order.status === 'cooperatively-canceled') {
    await reply(ctx, request, 'cooperative-cancel-accepted', { id: order.id });
    return;
  }
  if (order.status !== 'dispute') throw new CantDo('not_allowed_by_status');
  refuseSlashing(request.message);

  // The decision and everything it announces commit together, before Lightning is asked.
  const canceled = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, { status: 'canceled-by-admin' }, 'dispute');
    const closed = closeDisputeRow(ctx, order.id, 'seller-refunded');
    if (closed) void ctx.publish.dispute(closed);
    void reply(ctx, request, 'admin-canceled', { id: order.id });
    void notify(ctx, o, 'seller', 'admin-canceled');
    void notify(ctx, o, 'buyer', 'admin-canceled');
    queueOrderEvent(ctx, o);
    return o;
  });
  try {
    await ctx.escrow.cancelHold(canceled);
  } catch (error) {
    ctx.log.warn(`admin-cancel ${order.id}: hold not canceled yet (the refund sweep retries)`, error);
  }
}
