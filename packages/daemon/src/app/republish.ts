// Putting a taken order back on the book (taker cancel or taker timeout, §5.10/§5.11): taker fields
// and market-derived amounts are cleared, the order is republished, the maker is told.
import { transaction } from '../db/open.ts';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { makerRole, notify, queueOrderEvent, smallOrder } from './messages.ts';

/** The changes that make a taken order untaken again: taker fields and market-derived amounts cleared. */
export function untakenPatch(order: OrderRow): OrderPatch {
  const taker = makerRole(order) === 'seller' ? 'buyer' : 'seller';
  return {
    status: 'pending',
    hash: null,
    preimage: null,
    hold_state: null,
    taken_at: 0,
    invoice_held_at: 0,
    ...(taker === 'buyer'
      ? {
          buyer_pubkey: null,
          master_buyer_pubkey: null,
          buyer_transport: null,
          trade_index_buyer: null,
          buyer_invoice: null,
        }
      : { seller_pubkey: null, master_seller_pubkey: null, seller_transport: null, trade_index_seller: null }),
    ...(order.price_from_api ? { amount: 0, fee: 0, dev_fee: 0 } : {}),
    ...(order.min_amount !== null ? { fiat_amount: 0 } : {}),
  };
}

/** Synchronous, one transaction: the order is back on the book with its revision and the maker's notice, or not at all. */
export function returnToBook(ctx: AppContext, order: OrderRow): OrderRow {
  return transaction(ctx.db, () => {
    const fresh = setOrder(ctx, order, untakenPatch(order));
    queueOrderEvent(ctx, fresh);
    void notify(ctx, fresh, makerRole(fresh), 'new-order', { payload: { order: smallOrder(fresh) } });
    return fresh;
  });
}
