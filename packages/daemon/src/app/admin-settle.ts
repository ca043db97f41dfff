// admin-settle (protocol.md §7.3): the solver holding a dispute decides for the buyer. `id` = the
// order id. The seller's hold invoice is settled and the buyer paid exactly as after a release
// (→ success, purchase-completed, rate); the dispute closes as `settled`; solver, seller and buyer
// get admin-settled. Beyond the reference, the seller is also invited to rate (as after a release).
import { transaction } from '../db/open.ts';
import { getOrder, type OrderRow } from '../db/orders.ts';
import { isOpen, requireDecidingSolver } from '../disputes/access.ts';
import { refuseSlashing } from '../disputes/bond-resolution.ts';
import { closeDisputeRow } from '../disputes/close.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import { notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

export async function adminSettle(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  const dispute = requireDecidingSolver(ctx, request, order, 'invalid_order_status');
  if (order.status === 'cooperatively-canceled') {
    await reply(ctx, request, 'cooperative-cancel-accepted', { id: order.id });
    return;
  }
  // Runs once the settle is decided; closing the dispute is the once-only guard, so a retry after
  // a failed Lightning call does not repeat the messages. The close and the messages commit together.
  const announce = async (settled: OrderRow) =>
    transaction(ctx.db, () => {
      const closed = closeDisputeRow(ctx, settled.id, 'settled');
      if (!closed) return;
      void ctx.publish.dispute(closed);
      void reply(ctx, request, 'admin-settled', { id: settled.id });
      void notify(ctx, settled, 'seller', 'admin-settled');
      void notify(ctx, settled, 'buyer', 'admin-settled');
      void notify(ctx, settled, 'seller', 'rate');
    });
  // Settled before, but its announcement was not written (the dispute is still open): the solver's
  // repeated admin-settle writes it now, and the payout (keyed by its hash, never sent twice) goes on.
  if (order.status === 'settled-hold-invoice' && isOpen(dispute)) {
    await announce(order);
    const escrow = escrowOf(ctx);
    escrow.spawn(`payout of ${order.id}`, () => escrow.payBuyer(order.id));
    return;
  }
  if (order.status !== 'dispute') throw new CantDo('invalid_order_status');
  refuseSlashing(request.message);

  try {
    await ctx.escrow.settleAndPay(order, announce);
  } catch (error) {
    // The decision is persisted before the settle call (escrow.ts): if only the Lightning call
    // failed, the payout job finishes it and the decision stands — say so now.
    const now = getOrder(ctx.db, order.id);
    if (now?.status !== 'settled-hold-invoice') throw error;
    ctx.log.warn(`admin-settle ${order.id}: settle decided, Lightning not done yet (the payout job retries)`, error);
    await announce(now);
  }
}
