// add-invoice (protocol.md §5.7 step 3a, §5.8 step 3, §5.7 step 7): the buyer's payout invoice.
//  - waiting-buyer-invoice before the seller paid (sell order taken without invoice): store it and
//    create the hold invoice;
//  - waiting-buyer-invoice after the seller paid (buy order without invoice): the trade is active;
//  - settled-hold-invoice after failed payouts: replace it (invoice-updated) and pay again;
//  - beyond the reference: active / fiat-sent / dispute, replace it before release (invoice-updated),
//    which is what the buyer is asked to do when a probe finds the invoice unpayable (see fiat-sent).
import { getPaymentRequest } from '@mostro/protocol';
import { appendJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import { notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { peerReputation } from './reputation.ts';
import type { Request } from './request.ts';
import { acceptableInvoice } from './take-sell.ts';

const REPLACEABLE = new Set(['active', 'fiat-sent', 'dispute']);

export async function addInvoice(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  if (order.buyer_pubkey !== request.sender) throw new CantDo('invalid_peer');
  const invoice = getPaymentRequest(request.message);
  if (invoice === null) throw new CantDo('invalid_payload');
  const escrow = escrowOf(ctx);

  if (order.status === 'waiting-buyer-invoice') {
    await acceptableInvoice(ctx, order, invoice);
    const patch = { buyer_invoice: invoice, buyer_transport: request.transport };
    if (order.hold_state === 'accepted') {
      await escrow.activate(order, patch);
      return;
    }
    const stored = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, patch);
      void notify(ctx, o, 'seller', 'pay-invoice', { payload: { peer: peerReputation(ctx, o.master_buyer_pubkey) } });
      return o;
    });
    try {
      await ctx.escrow.requestSellerPayment(stored, request.message.request_id);
    } catch (error) {
      setOrder(ctx, stored, { buyer_invoice: null }, 'waiting-buyer-invoice');
      throw error;
    }
    return;
  }

  if (order.status === 'settled-hold-invoice') {
    if (order.payout_state === 'in_flight' || order.payout_state === 'succeeded') {
      throw new CantDo('not_allowed_by_status');
    }
    await acceptableInvoice(ctx, order, invoice);
    transaction(ctx.db, () => {
      setOrder(ctx, order, {
        buyer_invoice: invoice,
        buyer_transport: request.transport,
        payment_attempts: 0,
        failed_payment: false,
        payout_state: 'none',
      });
      appendJournal(ctx.db, order.id, 'invoice.updated', { status: order.status }, ctx.clock.now());
      void reply(ctx, request, 'invoice-updated', { id: order.id });
    });
    escrow.spawn(`payout of ${order.id}`, () => escrow.payBuyer(order.id));
    return;
  }

  if (REPLACEABLE.has(order.status)) {
    await acceptableInvoice(ctx, order, invoice);
    transaction(ctx.db, () => {
      setOrder(ctx, order, { buyer_invoice: invoice, buyer_transport: request.transport });
      appendJournal(ctx.db, order.id, 'invoice.updated', { status: order.status }, ctx.clock.now());
      void reply(ctx, request, 'invoice-updated', { id: order.id });
    });
    return;
  }
  throw new CantDo('not_allowed_by_status');
}
