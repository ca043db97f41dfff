// Hold invoices the node is waiting on or must give back, polled (subscriptions are the fast path;
// this is the one that survives a dropped subscription): an open hold of a waiting order may have
// been paid; an open or accepted hold of an order that no longer wants it (canceled, expired, back on
// the book) is canceled, refunding the seller.
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { listOrdersByHoldState } from '../db/orders.ts';

export async function watchHoldInvoices(ctx: AppContext): Promise<number> {
  const escrow = escrowOf(ctx);
  let checked = 0;
  const live = [...listOrdersByHoldState(ctx.db, 'open'), ...listOrdersByHoldState(ctx.db, 'accepted')];
  for (const order of live) {
    try {
      const hold = await escrow.refreshHold(order);
      checked++;
      if (hold && (hold.state === 'open' || hold.state === 'accepted')) escrow.watch(order);
    } catch (error) {
      ctx.log.warn(`hold watch: order ${order.id}`, error);
    }
  }
  return checked;
}
