// The hold invoice's description, word for word the reference's (§5.7): wallets show it to the
// seller while the sats are frozen, so it says what will happen to them. The payer of a hold invoice
// is always the seller, hence "SELL" whatever the order's kind. For a BTC-pegged code (BTC, LBTC,
// RBTC: the fiat amount is in sats) it reads "<fa> sats of <code>" (0.20 #1096).
import { isBtcPegged } from '@mostro/protocol';
import type { OrderRow } from '../db/orders.ts';

export function holdInvoiceMemo(order: Pick<OrderRow, 'id' | 'fiat_code' | 'fiat_amount'>): string {
  const price = isBtcPegged(order.fiat_code)
    ? `${order.fiat_amount} sats of ${order.fiat_code}`
    : `${order.fiat_code} ${order.fiat_amount}`;
  return (
    `Escrow amount Order #${order.id}: SELL BTC for ${price} - ` +
    'It WILL FREEZE IN WALLET. It will release once you release. It will return if buyer does not confirm the payment'
  );
}
