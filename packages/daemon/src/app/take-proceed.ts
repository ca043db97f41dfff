// Carrying out a take once nothing stands in its way: at once for an unbonded take, or when the
// taker's bond locks (bonds/lock.ts). Moves the order out of `from` (pending, or waiting-taker-bond)
// into the taken state and starts the escrow step, as §5.7 / §5.8 describe.
import type { OrderStatus } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { notify, queueOrderEvent, smallOrder } from './messages.ts';
import { claim, undoTake } from './take.ts';

export interface TakeToCarryOut {
  order: OrderRow;
  patch: OrderPatch;
  /** take-sell: the buyer's payout invoice given with the take (null = ask for it). */
  invoice: string | null;
  requestId: bigint | null;
  /** The status the order is taken from. */
  from: OrderStatus;
  /** Runs in the take's transaction (the trade index of an unbonded take is recorded with it). */
  alsoInTransaction?: () => void;
}

export async function carryOutTakeSell(ctx: AppContext, t: TakeToCarryOut): Promise<void> {
  if (t.invoice === null) {
    // The take and its messages (outbox rows) commit together.
    transaction(ctx.db, () => {
      const taken = claim(() => setOrder(ctx, t.order, { ...t.patch, status: 'waiting-buyer-invoice' }, t.from));
      t.alsoInTransaction?.();
      void notify(ctx, taken, 'buyer', 'add-invoice', {
        request_id: t.requestId,
        trade_index: taken.trade_index_buyer,
        payload: { order: smallOrder(taken, { view: 'buyer' }) },
      });
      void notify(ctx, taken, 'seller', 'waiting-buyer-invoice');
      queueOrderEvent(ctx, taken);
    });
    return;
  }
  // No taker-reputation notice here: the reference sends that only from add-invoice, and its
  // client would take a second pay-invoice for the hold invoice.
  const invoice = t.invoice;
  const taken = transaction(ctx.db, () => {
    const o = claim(() =>
      setOrder(ctx, t.order, { ...t.patch, buyer_invoice: invoice, status: 'waiting-payment' }, t.from),
    );
    t.alsoInTransaction?.();
    return o;
  });
  await requestHold(ctx, taken, t.requestId);
}

export async function carryOutTakeBuy(ctx: AppContext, t: TakeToCarryOut): Promise<void> {
  const taken = transaction(ctx.db, () => {
    const o = claim(() => setOrder(ctx, t.order, { ...t.patch, status: 'waiting-payment' }, t.from));
    t.alsoInTransaction?.();
    return o;
  });
  await requestHold(ctx, taken, t.requestId);
}

/** The seller's hold invoice; a take whose invoice cannot be created is undone. */
async function requestHold(ctx: AppContext, taken: OrderRow, requestId: bigint | null): Promise<void> {
  try {
    await ctx.escrow.requestSellerPayment(taken, requestId);
  } catch (error) {
    undoTake(ctx, taken);
    throw error;
  }
}
