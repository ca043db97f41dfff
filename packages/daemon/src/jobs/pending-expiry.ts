// Pending-order expiry (protocol.md §5.11): a pending order past its expires_at becomes `expired`
// (published as canceled). Nobody is told; the maker sees it leave the book.
import type { AppContext } from '../app/context.ts';
import { queueOrderEvent } from '../app/messages.ts';
import { transaction } from '../db/open.ts';
import { listPendingExpired } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';

/** Returns the ids of the orders it expired. */
export async function expirePendingOrders(ctx: AppContext): Promise<string[]> {
  const expired: string[] = [];
  for (const order of listPendingExpired(ctx.db, ctx.clock.now() - 1)) {
    try {
      // The expiry and its revision commit together.
      const row = transaction(ctx.db, () => {
        const o = setOrder(ctx, order, { status: 'expired' }, 'pending');
        queueOrderEvent(ctx, o);
        return o;
      });
      expired.push(row.id);
    } catch (error) {
      ctx.log.warn(`expiry: order ${order.id} not expired`, error);
    }
  }
  return expired;
}
