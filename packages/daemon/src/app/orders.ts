// orders (protocol.md §10.3): details of the sender identity's own orders, in the requested order.
// A full-private sender owns exactly the orders its trade key is on: nothing links more.

import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { reply, smallOrder } from './messages.ts';
import type { Request } from './request.ts';

export async function orders(ctx: AppContext, request: Request): Promise<void> {
  const payload = request.message.payload;
  if (!payload || !('ids' in payload) || payload.ids.length === 0) throw new CantDo('invalid_parameters');
  if (payload.ids.length > ctx.settings.mostro.max_orders_per_response) throw new CantDo('too_many_requests');
  const found = payload.ids
    .map((id) => getOrder(ctx.db, id))
    .filter((o): o is OrderRow => o !== undefined && owns(request, o));
  if (found.length === 0) throw new CantDo('not_found');
  const list = found.map((o) => {
    const small = smallOrder(o, { withTradeKeys: true });
    delete small.buyer_invoice;
    return small;
  });
  await reply(ctx, request, 'orders', { payload: { orders: list } });
}

/** By identity (reputation mode, or the identity key asking itself) or by the trade key that asks. */
function owns(request: Request, order: OrderRow): boolean {
  return (
    order.master_buyer_pubkey === request.identity ||
    order.master_seller_pubkey === request.identity ||
    order.buyer_pubkey === request.sender ||
    order.seller_pubkey === request.sender
  );
}
