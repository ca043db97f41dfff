// new-order (protocol.md §5.3, reference-0.20.md §4.12): validate in the reference's order, store,
// ack the maker, publish. Since 0.20 the sats limits apply to market quotes WITH the premium (#1095).
import { randomUUID } from 'node:crypto';
import type { SmallOrder } from '@mostro/protocol';
import { getOrder as orderPayload } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import { countPendingOrders, countPendingOrdersOf } from '../db/order-counts.ts';
import { insertOrder, type OrderRow } from '../db/orders.ts';
import { partyFeeFor, quoteSats } from './amounts.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { queueOrderEvent, reply, smallOrder } from './messages.ts';
import { checkOrderBounds, fiatCodeAccepted, normaliseFiatCode, tradeIndexAcceptable } from './order-sanity.ts';
import type { Request } from './request.ts';
import { masterKey, recordTradeIndex } from './trade-index.ts';

export async function newOrder(ctx: AppContext, request: Request): Promise<OrderRow> {
  const received = orderPayload(request.message);
  if (!received) throw new CantDo('invalid_payload');
  const order = { ...received, fiat_code: normaliseFiatCode(received.fiat_code) };
  checkSanity(ctx, request, order);
  await validateNewOrder(ctx, order);

  const now = ctx.clock.now();
  const id = randomUUID();
  const isRange = order.min_amount !== null && order.max_amount !== null;
  const maxExpiry = now + ctx.settings.mostro.max_expiration_days * 86_400;
  const expiresAt =
    order.expires_at !== null && order.expires_at > now
      ? Math.min(order.expires_at, maxExpiry)
      : now + ctx.settings.mostro.expiration_hours * 3600;
  const role = order.kind === 'sell' ? 'seller' : 'buyer';
  const tradeIndex = request.message.trade_index;

  const row = transaction(ctx.db, () => {
    const inserted = insertOrder(ctx.db, {
      id,
      kind: order.kind!,
      event_id: id,
      creator_pubkey: request.sender,
      status: 'pending',
      payment_method: order.payment_method,
      amount: order.amount,
      fiat_code: order.fiat_code,
      fiat_amount: isRange ? 0 : order.fiat_amount,
      min_amount: isRange ? order.min_amount : null,
      max_amount: isRange ? order.max_amount : null,
      premium: order.premium,
      price_from_api: order.amount === 0,
      fee: order.amount > 0 ? partyFeeFor(ctx, order.amount) : 0,
      buyer_invoice: role === 'buyer' ? (order.buyer_invoice ?? null) : null,
      created_at: now,
      expires_at: expiresAt,
      updated_at: now,
      ...(role === 'seller'
        ? {
            seller_pubkey: request.sender,
            master_seller_pubkey: masterKey(request),
            seller_transport: request.transport,
            trade_index_seller: tradeIndex,
          }
        : {
            buyer_pubkey: request.sender,
            master_buyer_pubkey: masterKey(request),
            buyer_transport: request.transport,
            trade_index_buyer: tradeIndex,
          }),
    });
    recordTradeIndex(ctx, request);
    // The ack and the 38383 commit with the order.
    void reply(ctx, request, 'new-order', {
      id,
      trade_index: tradeIndex,
      payload: { order: smallOrder(inserted, { withInvoice: true }) },
    });
    queueOrderEvent(ctx, inserted);
    return inserted;
  });
  return row;
}

/** Our bounds (order-sanity.ts) and caps, checked before anything that costs a Lightning call. */
function checkSanity(ctx: AppContext, request: Request, order: SmallOrder): void {
  if (!tradeIndexAcceptable(request.message.trade_index, request.fullPrivacy)) throw new CantDo('invalid_trade_index');
  const bounds = checkOrderBounds(order, ctx.settings.orders);
  if (!bounds.ok) throw new CantDo(bounds.reason, bounds.detail);
  const caps = ctx.settings.orders;
  const identity = request.fullPrivacy ? null : request.identity;
  if (countPendingOrdersOf(ctx.db, request.sender, identity) >= caps.max_pending_per_identity)
    throw new CantDo('too_many_requests', 'pending orders per identity');
  if (countPendingOrders(ctx.db) >= caps.max_pending_total) throw new CantDo('too_many_requests', 'pending orders');
}

async function validateNewOrder(ctx: AppContext, order: SmallOrder): Promise<void> {
  const mostro = ctx.settings.mostro;
  // This is a Lightning node: an order bound to a Cashu mint cannot be escrowed here.
  if (order.cashu_mint_url !== undefined) throw new CantDo('invalid_mint_url');
  if (order.buyer_invoice) {
    const problem = await ctx.escrow.validateBuyerInvoice(order.buyer_invoice, order.amount > 0 ? order.amount : null);
    if (problem) throw new CantDo('invalid_invoice', problem);
  }
  if (!fiatCodeAccepted(order.fiat_code, mostro.fiat_currencies_accepted)) throw new CantDo('invalid_fiat_currency');
  const isRange = order.min_amount !== null || order.max_amount !== null;
  if (!isRange && order.fiat_amount <= 0) throw new CantDo('invalid_amount');
  if (order.amount < 0) throw new CantDo('invalid_amount');
  if (isRange) {
    const min = order.min_amount ?? -1;
    const max = order.max_amount ?? -1;
    if (min < 0 || max < 0 || min >= max || order.amount !== 0) throw new CantDo('invalid_amount');
  }
  if (order.premium !== 0 && order.amount !== 0) throw new CantDo('invalid_parameters');

  const fiatAmounts = isRange ? [order.min_amount!, order.max_amount!] : [order.fiat_amount];
  for (const fiat of order.amount > 0 ? [null] : fiatAmounts) {
    const sats = fiat === null ? order.amount : quoteSats(ctx, order.fiat_code, fiat, order.premium);
    if (sats < mostro.min_payment_amount || sats > mostro.max_order_amount) {
      throw new CantDo('out_of_range_sats_amount');
    }
  }
  if (order.kind === null) throw new CantDo('invalid_order_kind');
}
