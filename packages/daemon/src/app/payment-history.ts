// payment-history (reference-0.20.md §4.5; the reference defines but does not send it, we follow its
// design document): the seller learns how the declared payer did in earlier trades on this node —
// pushed at fiat-sent, or on the seller's query. With `require_declaration` a buyer cannot send
// fiat-sent before declaring (`payer_not_declared`).
import type { PaymentHistory } from '@mostro/protocol';
import type { OrderRow } from '../db/orders.ts';
import { getPayerDeclaration, payerHistory } from '../db/payer-declarations.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

/** The history of the order's declared payer, or null when the buyer declared none. */
export function paymentHistoryOf(ctx: AppContext, order: OrderRow): PaymentHistory | null {
  const declaration = getPayerDeclaration(ctx.db, order.id);
  if (!declaration) return null;
  const rules = ctx.settings.payer_history;
  const counts = payerHistory(ctx.db, declaration.payment_hash, order.id, {
    minTrades: rules.experienced_min_trades,
    minDays: rules.experienced_min_days,
    now: ctx.clock.now(),
  });
  return {
    payment_hash: declaration.payment_hash,
    buyer_mode: order.master_buyer_pubkey === null ? 'full_privacy' : 'reputation',
    ...counts,
  };
}

/** fiat-sent's gate: refuses when declarations are required and this order has none. */
export function checkPayerDeclared(ctx: AppContext, order: OrderRow): void {
  const rules = ctx.settings.payer_history;
  if (rules.enabled && rules.require_declaration && !getPayerDeclaration(ctx.db, order.id)) {
    throw new CantDo('payer_not_declared');
  }
}

/**
 * At fiat-sent: the seller gets the declared payer's history before deciding to release. Not async:
 * the outbox row is written before this returns, so inside `transaction()` it commits with fiat-sent.
 */
export function pushPaymentHistory(ctx: AppContext, order: OrderRow): Promise<void> {
  if (!ctx.settings.payer_history.enabled) return Promise.resolve();
  const history = paymentHistoryOf(ctx, order);
  if (!history) return Promise.resolve();
  return notify(ctx, order, 'seller', 'payment-history', { payload: { payment_history: history } });
}

/** The seller's query (payload null). */
export async function paymentHistory(ctx: AppContext, request: Request): Promise<void> {
  if (!ctx.settings.payer_history.enabled) throw new CantDo('invalid_action');
  const order = requireOrder(ctx, request);
  if (order.seller_pubkey !== request.sender) throw new CantDo('invalid_pubkey');
  if (request.message.payload !== null) throw new CantDo('invalid_payload');
  const history = paymentHistoryOf(ctx, order);
  if (!history) throw new CantDo('payer_not_declared');
  await reply(ctx, request, 'payment-history', { id: order.id, payload: { payment_history: history } });
}
