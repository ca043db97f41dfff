// The buyer's payout (amount − fee) of a settled order, its outcome and its failure path. A payment
// is tracked by its hash, persisted before paying; an unknown outcome stays `in_flight` and is only
// re-asked by hash, never re-sent. Every function here but lastPayoutAttemptAt runs with the order's
// escrow lock held (see escrow.ts).

import { listJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import type { LnError, Payment } from '../lightning/backend.ts';
import { smallOrder } from '../orders/small-order.ts';
import { tradeLine } from '../orders/trade-line.ts';
import { setOrder } from '../orders/update.ts';
import { queueOrderEvent } from './hold.ts';
import { isLnurlTarget, stripLightningPrefix } from './lnurl.ts';
import type { EscrowDeps } from './ports.ts';

const PAY_TIMEOUT_SECONDS = 60;

export async function pay(escrow: EscrowDeps, orderId: string): Promise<void> {
  const { ctx } = escrow;
  const order = getOrder(ctx.db, orderId);
  if (order?.status !== 'settled-hold-invoice' || order.hold_state !== 'settled') return;
  // A release whose settle was finished by a job or by reconciliation: its messages come first.
  await escrow.notifier.announcePendingRelease(order);
  if (order.payout_state === 'succeeded') return;
  if (order.payout_state === 'in_flight') return checkPayout(escrow, order);
  const max = ctx.settings.lightning.payment_attempts;
  if (order.failed_payment && order.payment_attempts >= max) return; // waiting for a new invoice
  if (!order.buyer_invoice) return;
  // LND unsynced or unreachable for a minute: wait without trying, so no attempt is consumed and
  // the buyer hears nothing; the retry job comes back (reference-0.20.md §4.2).
  if (ctx.lndSync?.paymentsDeferred()) return;

  const amountSats = escrow.payoutSats(order);
  const maxFeeSats = escrow.routingCap(order);
  let request = stripLightningPrefix(order.buyer_invoice);
  if (isLnurlTarget(request)) {
    const resolved = await escrow.resolver.invoice(request, amountSats);
    if (!resolved.ok) {
      escrow.journal(order.id, 'payout.resolve.failed', { reason: resolved.reason });
      return payoutFailed(escrow, setOrder(ctx, order, { payment_attempts: order.payment_attempts + 1 }), {
        code: 'payment_failed',
        message: resolved.reason,
      });
    }
    request = resolved.value;
  }
  const decoded = await ctx.lightning.decodeInvoice(request);
  const amountOk =
    decoded.ok && (decoded.value.amountMsat === null || decoded.value.amountMsat === BigInt(amountSats) * 1000n);
  if (!decoded.ok || !amountOk) {
    const error: LnError = decoded.ok
      ? { code: 'invalid_invoice', message: 'invoice amount differs from the payout' }
      : decoded.error;
    escrow.journal(order.id, 'payout.invalid', error);
    return payoutFailed(escrow, setOrder(ctx, order, { payment_attempts: order.payment_attempts + 1 }), error);
  }
  const hash = decoded.value.hash;
  const inFlight = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, {
      payout_hash: hash,
      payout_state: 'in_flight',
      payment_attempts: order.payment_attempts + 1,
    });
    escrow.journal(o.id, 'payout.pay', { hash, request, amountSats, maxFeeSats, attempt: o.payment_attempts });
    return o;
  });
  const r = await ctx.lightning.pay({ request, amountSats, maxFeeSats, timeoutSeconds: PAY_TIMEOUT_SECONDS });
  if (r.ok) return payoutResult(escrow, inFlight, r.value);
  if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
    // Unknown outcome: fail closed. Stays in flight; only asked again by hash.
    escrow.journal(order.id, 'payout.unknown', r.error);
    return;
  }
  return payoutFailed(escrow, inFlight, r.error);
}

async function checkPayout(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  if (!order.payout_hash) return;
  const r = await escrow.ctx.lightning.getPayment(order.payout_hash);
  if (r.ok) return payoutResult(escrow, order, r.value);
  if (r.error.code === 'not_found') {
    // The backend is reachable and never saw it: the call did not get through, nothing was sent.
    // Not an attempt; pay now (the same invoice, so the same hash: the backend pays a hash once).
    const reset = transaction(escrow.ctx.db, () => {
      const o = setOrder(escrow.ctx, order, {
        payout_state: 'none',
        payment_attempts: Math.max(0, order.payment_attempts - 1),
      });
      escrow.journal(order.id, 'payout.not-sent', r.error);
      return o;
    });
    return pay(escrow, reset.id);
  }
  escrow.journal(order.id, 'payout.unknown', r.error);
}

async function payoutResult(escrow: EscrowDeps, order: OrderRow, payment: Payment): Promise<void> {
  if (payment.state === 'in_flight') {
    escrow.journal(order.id, 'payout.in-flight', { hash: payment.hash });
    return;
  }
  if (payment.state === 'failed') {
    return payoutFailed(escrow, order, { code: payment.failure ?? 'payment_failed', message: 'payment failed' });
  }
  const { ctx } = escrow;
  const done = transaction(ctx.db, () => {
    const o = setOrder(
      ctx,
      order,
      {
        status: 'success',
        payout_state: 'succeeded',
        payout_fee: payment.feeSats,
        routing_fee: payment.feeSats,
        failed_payment: false,
      },
      'settled-hold-invoice',
    );
    escrow.journal(o.id, 'payout.succeeded', {
      hash: payment.hash,
      amountSats: payment.amountSats,
      feeSats: payment.feeSats,
    });
    void escrow.notifier.notify(o, 'buyer', 'purchase-completed');
    void escrow.notifier.notify(o, 'buyer', 'rate');
    queueOrderEvent(escrow, o);
    return o;
  });
  ctx.log.info(tradeLine('buyer paid', done));
}

async function payoutFailed(escrow: EscrowDeps, order: OrderRow, error: LnError): Promise<void> {
  const { ctx } = escrow;
  const max = ctx.settings.lightning.payment_attempts;
  // An invoice the pre-settle probe called unpayable and that then failed: no point retrying it.
  const probedBad = lastProbe(escrow, order.id) === 'unpayable';
  const attempts = probedBad ? Math.max(order.payment_attempts, max) : order.payment_attempts;
  if (ctx.lndSync?.paymentsDeferred()) {
    // Failed while LND is unsynced: the failure says nothing about the invoice. Not an attempt,
    // no message; retried once LND is back.
    transaction(ctx.db, () => {
      setOrder(ctx, order, { payout_state: 'failed', payment_attempts: Math.max(0, order.payment_attempts - 1) });
      escrow.journal(order.id, 'payout.failed.deferred', { ...error });
    });
    return;
  }
  // The failure and what the buyer is told about it commit together.
  transaction(ctx.db, () => {
    const failed = setOrder(ctx, order, { payout_state: 'failed', failed_payment: true, payment_attempts: attempts });
    escrow.journal(failed.id, 'payout.failed', { ...error, attempt: order.payment_attempts });
    if (order.payment_attempts === 1) {
      void escrow.notifier.notify(failed, 'buyer', 'payment-failed', {
        payload: {
          payment_failed: {
            payment_attempts: max - 1,
            payment_retries_interval: ctx.settings.lightning.payment_retries_interval,
          },
        },
      });
    }
    if (attempts >= max) {
      void escrow.notifier.notify(failed, 'buyer', 'add-invoice', {
        payload: { order: smallOrder(failed, { view: 'buyer' }) },
      });
    }
  });
}

function lastProbe(escrow: EscrowDeps, orderId: string): string | null {
  const entries = listJournal(escrow.ctx.db, orderId);
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.step === 'payout.probe') return (e.detail as { verdict?: string }).verdict ?? null;
    if (e.step === 'invoice.updated') return null;
  }
  return null;
}

/** When the last payout attempt of an order started (unix seconds), from the journal. */
export function lastPayoutAttemptAt(escrow: EscrowDeps, orderId: string): number | null {
  const entries = listJournal(escrow.ctx.db, orderId);
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.step === 'payout.pay' || e.step === 'payout.resolve.failed' || e.step === 'payout.invalid') return e.at;
  }
  return null;
}
