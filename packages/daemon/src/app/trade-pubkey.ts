// trade-pubkey (protocol.md §4.1): the maker of a pending order moves it to a new trade key. The new
// key sends the message; the identity behind it must be the maker's (so a full-private maker, who
// has no identity to prove it with, cannot).

import { transaction } from '../db/open.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function tradePubkey(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  const maker = makerRole(order);
  const makerIdentity = maker === 'seller' ? order.master_seller_pubkey : order.master_buyer_pubkey;
  if (request.fullPrivacy || makerIdentity === null || makerIdentity !== request.identity) {
    throw new CantDo('is_not_your_order');
  }
  if (order.status !== 'pending') throw new CantDo('not_allowed_by_status');
  const index = request.message.trade_index;
  // The new key, the index and the answer commit together.
  transaction(ctx.db, () => {
    setOrder(ctx, order, {
      creator_pubkey: request.sender,
      ...(maker === 'seller'
        ? { seller_pubkey: request.sender, seller_transport: request.transport, trade_index_seller: index }
        : { buyer_pubkey: request.sender, buyer_transport: request.transport, trade_index_buyer: index }),
    });
    recordTradeIndex(ctx, request);
    void reply(ctx, request, 'trade-pubkey', { id: order.id });
  });
}
