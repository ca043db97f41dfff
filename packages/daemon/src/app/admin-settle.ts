// admin-settle (protocol.md §7.3): the solver holding a dispute decides for the buyer. `id` = the
// order id. The seller's hold invoice is settled and the buyer paid exactly as after a release
// (→ success, purchase-completed, rate); the dispute closes as `settled`; solver, seller and buyer
// get admin-settled. Beyond the reference, the seller is also invited to rate (as after a release).
import type { BondRow } from '../db/bonds.ts';
import { getOrder, type OrderRow } from '../db/orders.ts';
import { requireDecidingSolver } from '../disputes/access.ts';
import { bondsToSlash, carryOutSlashes, decideSolverSlashes } from '../disputes/bond-resolution.ts';
import { closeDispute } from '../disputes/close.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

export async function adminSettle(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  requireDecidingSolver(ctx, request, order, 'invalid_order_status');
  if (order.status === 'cooperatively-canceled') {
    await reply(ctx, request, 'cooperative-cancel-accepted', { id: order.id });
    return;
  }
  if (order.status !== 'dispute') throw new CantDo('invalid_order_status');
  const toSlash = bondsToSlash(ctx, order, request.message);

  // Runs once the settle is decided; closing the dispute is the once-only guard, so a retry after
  // a failed Lightning call does not repeat the messages.
  let slashes: BondRow[] = [];
  const announce = async (settled: OrderRow) => {
    // Decided with the settle, before the payout can end the trade (and the bond job release them).
    slashes = decideSolverSlashes(ctx, settled, toSlash);
    if (!(await closeDispute(ctx, settled.id, 'settled'))) return;
    await reply(ctx, request, 'admin-settled', { id: settled.id });
    await notify(ctx, settled, 'seller', 'admin-settled');
    await notify(ctx, settled, 'buyer', 'admin-settled');
    await notify(ctx, settled, 'seller', 'rate');
  };
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
  await carryOutSlashes(ctx, slashes);
}
