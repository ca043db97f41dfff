// take-sell (protocol.md §5.7 steps 2–3): a buyer takes a sell order, with or without a payout
// invoice (bolt11, lightning address or LNURL).
import { getPaymentRequest } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import { notify, queueOrderEvent, smallOrder } from './messages.ts';
import type { Request } from './request.ts';
import { claim, prepareTake, undoTake } from './take.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function takeSell(ctx: AppContext, request: Request): Promise<void> {
  const take = prepareTake(ctx, request, 'sell');
  const invoice = getPaymentRequest(request.message);
  if (invoice !== null) await acceptableInvoice(ctx, { ...take.order, ...take.patch }, invoice);
  const requestId = request.message.request_id;

  if (invoice === null) {
    // The take and its messages (outbox rows) commit together.
    transaction(ctx.db, () => {
      const taken = claim(() =>
        setOrder(ctx, take.order, { ...take.patch, status: 'waiting-buyer-invoice' }, 'pending'),
      );
      recordTradeIndex(ctx, request);
      void notify(ctx, taken, 'buyer', 'add-invoice', {
        request_id: requestId,
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
  const taken = transaction(ctx.db, () => {
    const o = claim(() =>
      setOrder(ctx, take.order, { ...take.patch, buyer_invoice: invoice, status: 'waiting-payment' }, 'pending'),
    );
    recordTradeIndex(ctx, request);
    return o;
  });
  try {
    await ctx.escrow.requestSellerPayment(taken, requestId);
  } catch (error) {
    undoTake(ctx, taken);
    throw error;
  }
}

/** §5.9 validation, then a route probe: an invoice that cannot be paid is refused now, not after release. */
export async function acceptableInvoice(ctx: AppContext, order: OrderRow, invoice: string): Promise<void> {
  const problem = await ctx.escrow.validateBuyerInvoice(invoice, order.amount - order.fee);
  if (problem) throw new CantDo('invalid_invoice', problem);
  const verdict = await escrowOf(ctx).probe(order, invoice);
  if (verdict.verdict === 'unpayable') throw new CantDo('invalid_invoice', verdict.reason);
}
