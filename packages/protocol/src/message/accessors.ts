// Read helpers with mostro-core's semantics (MessageKind::get_*): which actions a field is honoured on.
import type { MessageKind, SmallOrder } from './types.ts';

/** The invoice / LN address a message carries, only for take-sell, add-invoice, add-bond-invoice, new-order. */
export function getPaymentRequest(kind: MessageKind): string | null {
  if (!['take-sell', 'add-invoice', 'add-bond-invoice', 'new-order'].includes(kind.action)) return null;
  const p = kind.payload;
  if (p && 'payment_request' in p) return p.payment_request[1];
  if (p && 'order' in p) return p.order.buyer_invoice ?? null;
  return null;
}

/** The fiat amount a taker chose (range orders), only for take-sell / take-buy. */
export function getAmount(kind: MessageKind): number | null {
  if (kind.action !== 'take-sell' && kind.action !== 'take-buy') return null;
  const p = kind.payload;
  if (p && 'payment_request' in p) return p.payment_request[2];
  if (p && 'amount' in p) return p.amount;
  return null;
}

/** The SmallOrder of a new-order message. */
export function getOrder(kind: MessageKind): SmallOrder | null {
  if (kind.action !== 'new-order') return null;
  return kind.payload && 'order' in kind.payload ? kind.payload.order : null;
}

/** The `next_trade` payload (range-order makers on release / fiat-sent): [pubkey, index]. */
export function getNextTrade(kind: MessageKind): { pubkey: string; index: number } | null {
  const p = kind.payload;
  return p && 'next_trade' in p ? { pubkey: p.next_trade[0], index: p.next_trade[1] } : null;
}

/** The rating of a rate-user / rate-received message if within 1..5, else null. */
export function getRating(kind: MessageKind): number | null {
  const p = kind.payload;
  if (!p || !('rating_user' in p)) return null;
  return p.rating_user >= 1 && p.rating_user <= 5 ? p.rating_user : null;
}
