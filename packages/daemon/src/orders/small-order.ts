// An order as one party sees it in the node's messages: the SmallOrder payload with that party's
// amount. Pure, shared by the handlers (app/) and the escrow.
import type { SmallOrder } from '@mostro/protocol';
import type { OrderRow } from '../db/orders.ts';

/** The two parties of an order. */
export type Role = 'buyer' | 'seller';

export type AmountView = 'raw' | 'seller' | 'buyer';

/** The SmallOrder of an order as one recipient sees it (§5.6: seller amount + fee, buyer amount − fee). */
export function smallOrder(
  order: OrderRow,
  options: { view?: AmountView; withTradeKeys?: boolean; withInvoice?: boolean } = {},
): SmallOrder {
  const view = options.view ?? 'raw';
  const amount =
    view === 'seller' ? order.amount + order.fee : view === 'buyer' ? order.amount - order.fee : order.amount;
  const small: SmallOrder = {
    id: order.id,
    kind: order.kind,
    status: order.status,
    amount,
    fiat_code: order.fiat_code,
    min_amount: order.min_amount,
    max_amount: order.max_amount,
    fiat_amount: order.fiat_amount,
    payment_method: order.payment_method,
    premium: order.premium,
    created_at: order.created_at,
    expires_at: order.expires_at,
  };
  if (options.withTradeKeys) {
    if (order.buyer_pubkey) small.buyer_trade_pubkey = order.buyer_pubkey;
    if (order.seller_pubkey) small.seller_trade_pubkey = order.seller_pubkey;
  }
  if (options.withInvoice && order.buyer_invoice) small.buyer_invoice = order.buyer_invoice;
  return small;
}
