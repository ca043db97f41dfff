// take-sell / take-buy (protocol.md §5.2, §5.7, §5.8): the checks both share, the amount fixed at
// take time (market price now, range slice chosen by the taker), and undoing a take whose hold
// invoice could not be created.
import { devFee, getAmount, isWithinRange } from '@mostro/protocol';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { findOrdersByMasterPubkey, findOrdersByTradePubkey } from '../db/orders.ts';
import { OrderConflict, setOrder } from '../orders/update.ts';
import { partyFeeFor, quoteSats } from './amounts.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, type Role } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { untakenPatch } from './republish.ts';
import type { Request } from './request.ts';
import { masterKey } from './trade-index.ts';

export interface Take {
  order: OrderRow;
  taker: Role;
  /** Taker fields, amount, fee and fiat amount to store with the new status. */
  patch: OrderPatch;
  /** The buyer's payout in sats (amount − fee). */
  payoutSats: number;
}

/** The shared validation of a take, in the reference's order; nothing is written. */
export function prepareTake(ctx: AppContext, request: Request, kind: 'sell' | 'buy'): Take {
  const order = requireOrder(ctx, request);
  if (order.kind !== kind) throw new CantDo('invalid_order_kind');
  const taker: Role = kind === 'sell' ? 'buyer' : 'seller';
  const maker = makerRole(order);
  const makerIdentity = maker === 'seller' ? order.master_seller_pubkey : order.master_buyer_pubkey;
  if (request.sender === order.creator_pubkey || (!request.fullPrivacy && request.identity === makerIdentity)) {
    throw new CantDo('invalid_pubkey');
  }
  // waiting-taker-bond: other takers' bonds are racing; the first to lock wins (§5.12).
  const takeable = order.status === 'pending' || order.status === 'waiting-taker-bond';
  if (!takeable || order.expires_at <= ctx.clock.now()) throw new CantDo('invalid_order_status');
  if (hasPendingTake(ctx, request, taker)) throw new CantDo('pending_order_exists');

  let fiatAmount = order.fiat_amount;
  const isRange = order.min_amount !== null && order.max_amount !== null;
  if (isRange) {
    const chosen = getAmount(request.message);
    if (chosen === null || !isWithinRange(order.min_amount!, order.max_amount!, chosen)) {
      throw new CantDo('out_of_range_sats_amount');
    }
    fiatAmount = chosen;
  }
  let amount = order.amount;
  if (amount === 0) {
    amount = quoteSats(ctx, order.fiat_code, fiatAmount, order.premium);
    const { min_payment_amount, max_order_amount } = ctx.settings.mostro;
    if (amount < min_payment_amount || amount > max_order_amount) throw new CantDo('out_of_range_sats_amount');
  }
  const fee = partyFeeFor(ctx, amount);
  const now = ctx.clock.now();
  const patch: OrderPatch = {
    amount,
    fee,
    dev_fee: devFee(fee, ctx.settings.mostro.dev_fee_percentage),
    fiat_amount: fiatAmount,
    taken_at: now,
    ...(taker === 'buyer'
      ? {
          buyer_pubkey: request.sender,
          master_buyer_pubkey: masterKey(request),
          buyer_transport: request.transport,
          trade_index_buyer: request.message.trade_index,
        }
      : {
          seller_pubkey: request.sender,
          master_seller_pubkey: masterKey(request),
          seller_transport: request.transport,
          trade_index_seller: request.message.trade_index,
        }),
  };
  return { order, taker, patch, payoutSats: amount - fee };
}

/** §5.2: one take at a time per identity (as buyer in waiting-buyer-invoice / seller in waiting-payment). */
function hasPendingTake(ctx: AppContext, request: Request, taker: Role): boolean {
  const status = taker === 'buyer' ? 'waiting-buyer-invoice' : 'waiting-payment';
  if (request.fullPrivacy) {
    return findOrdersByTradePubkey(ctx.db, request.sender, { statuses: [status] }).some(
      (o) => (taker === 'buyer' ? o.buyer_pubkey : o.seller_pubkey) === request.sender,
    );
  }
  return findOrdersByMasterPubkey(ctx.db, request.identity, { statuses: [status] }).some(
    (o) => (taker === 'buyer' ? o.master_buyer_pubkey : o.master_seller_pubkey) === request.identity,
  );
}

/** Puts an order whose take failed half-way back to `pending`, untaken (no one is told: nothing happened). */
export function undoTake(ctx: AppContext, order: OrderRow): OrderRow {
  return setOrder(ctx, order, untakenPatch(order));
}

/** Runs the status change of a take; another taker winning the race is `invalid_order_status`. */
export function claim(take: () => OrderRow): OrderRow {
  try {
    return take();
  } catch (error) {
    if (error instanceof OrderConflict) throw new CantDo('invalid_order_status');
    throw error;
  }
}
