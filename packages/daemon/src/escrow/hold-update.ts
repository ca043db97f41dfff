// Reacting to the state of a hold invoice at the backend: the seller paid (the trade starts), the
// node canceled it (the trade ends), it was settled, or an open one needs finishing or canceling.
// Every function here runs with the order's escrow lock held (see escrow.ts).
import { getDisputeByOrder, updateDispute } from '../db/disputes.ts';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { smallOrder } from '../orders/small-order.ts';
import { tradeLine } from '../orders/trade-line.ts';
import { setOrder } from '../orders/update.ts';
import { cancelHold, finishHoldAdd, holdAnnounced } from './hold.ts';
import type { EscrowDeps } from './ports.ts';
import { HELD_STATUSES, REFUND_STATUSES } from './statuses.ts';

export async function onHoldUpdate(escrow: EscrowDeps, orderId: string, invoice: HoldInvoice): Promise<void> {
  const order = getOrder(escrow.ctx.db, orderId);
  if (!order || order.hash !== invoice.hash) return;
  switch (invoice.state) {
    case 'accepted':
      return holdAccepted(escrow, order);
    case 'canceled':
      return holdCanceled(escrow, order);
    case 'settled':
      if (order.hold_state !== 'settled') {
        if (order.status === 'settled-hold-invoice' || order.status === 'success') {
          setOrder(escrow.ctx, order, { hold_state: 'settled' });
          escrow.journal(order.id, 'hold.settled', { seen: 'backend' });
        } else {
          // Only settleAndPay settles, and it persists settled-hold-invoice first: this is not ours.
          escrow.journal(order.id, 'hold.settled.unexpected', { status: order.status });
          escrow.ctx.log.error(`escrow: hold invoice of order ${order.id} settled while ${order.status}`);
        }
      }
      return;
    case 'open':
      if ((REFUND_STATUSES as readonly string[]).includes(order.status)) return cancelHold(escrow, order);
      if (order.hold_state === 'open' && !holdAnnounced(escrow, order)) return finishHoldAdd(escrow, order, invoice);
      return;
  }
}

/** The seller paid (the HTLC is accepted). */
async function holdAccepted(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  const { ctx } = escrow;
  if ((REFUND_STATUSES as readonly string[]).includes(order.status)) {
    // Paid after the order was canceled or timed out: give it back.
    escrow.journal(order.id, 'hold.accepted.late', { status: order.status });
    await cancelHold(escrow, order);
    return;
  }
  if (order.status !== 'waiting-payment') {
    if (order.hold_state === 'open') setOrder(ctx, order, { hold_state: 'accepted' });
    return;
  }
  const now = ctx.clock.now();
  // An invoice a buy-order maker gave at new-order time was checked before the amount and fee were
  // known (and may have aged since): if it no longer fits the payout, the buyer is asked for one now, while the
  // seller's sats are held, instead of failing the payout after release.
  const givenAtNewOrder = order.kind === 'buy' && order.buyer_invoice !== null;
  const invoiceProblem = givenAtNewOrder
    ? await escrow.validateBuyerInvoice(order.buyer_invoice!, escrow.payoutSats(order))
    : null;
  if (invoiceProblem) escrow.journal(order.id, 'invoice.stale', { reason: invoiceProblem });
  if (order.buyer_invoice && !invoiceProblem) {
    const active = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, { status: 'active', hold_state: 'accepted', invoice_held_at: now });
      escrow.journal(o.id, 'hold.accepted', { next: 'active' });
      return o;
    });
    ctx.log.info(tradeLine('hold invoice paid', active));
    await announceActive(escrow, active);
    return;
  }
  const waiting = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, {
      status: 'waiting-buyer-invoice',
      hold_state: 'accepted',
      invoice_held_at: now,
      taken_at: now,
      buyer_invoice: null,
    });
    escrow.journal(o.id, 'hold.accepted', { next: 'waiting-buyer-invoice' });
    return o;
  });
  ctx.log.info(tradeLine('hold invoice paid', waiting));
  await escrow.notifier.notify(waiting, 'buyer', 'add-invoice', {
    payload: { order: smallOrder(waiting, { view: 'buyer' }) },
  });
  await escrow.notifier.notify(waiting, 'seller', 'waiting-buyer-invoice');
  await escrow.notifier.notify(waiting, 'buyer', 'add-invoice', {
    payload: { peer: escrow.notifier.peerReputation(waiting.master_seller_pubkey) },
  });
  await ctx.publish.order(waiting);
}

/** Escrow locked and the buyer's invoice known: the fiat leg starts (§5.7 step 4). */
export async function announceActive(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  await escrow.notifier.notify(order, 'seller', 'buyer-took-order', {
    payload: { order: smallOrder(order, { view: 'seller', withTradeKeys: true }) },
  });
  await escrow.notifier.notify(order, 'buyer', 'hold-invoice-payment-accepted', {
    payload: { order: smallOrder(order, { view: 'buyer', withTradeKeys: true }) },
  });
  await escrow.ctx.publish.order(order);
}

/** The hold invoice is canceled at the backend (by us, by expiry, or by the node at the CLTV horizon). */
async function holdCanceled(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  const { ctx } = escrow;
  if (order.hold_state === 'canceled') return;
  const lockedStatuses: readonly string[] = [...HELD_STATUSES, 'settled-hold-invoice'];
  const wasLocked =
    lockedStatuses.includes(order.status) ||
    (order.status === 'waiting-buyer-invoice' && order.hold_state === 'accepted');
  if (!wasLocked) {
    setOrder(ctx, order, { hold_state: 'canceled' });
    escrow.journal(order.id, 'hold.canceled', { status: order.status });
    return;
  }
  // The Lightning node gave the seller's sats back on its own: the trade cannot go on.
  if (order.status === 'settled-hold-invoice') {
    ctx.log.error(`escrow: hold invoice of released order ${order.id} was canceled by the node; seller refunded`);
  }
  const canceled = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, { status: 'canceled', hold_state: 'canceled' });
    escrow.journal(o.id, 'hold.canceled.by-node', { status: order.status });
    return o;
  });
  await closeDispute(escrow, order.id, 'seller-refunded');
  await escrow.notifier.notify(canceled, 'buyer', 'hold-invoice-payment-canceled');
  await escrow.notifier.notify(canceled, 'seller', 'hold-invoice-payment-canceled');
  await ctx.publish.order(canceled);
}

async function closeDispute(escrow: EscrowDeps, orderId: string, status: 'settled' | 'seller-refunded'): Promise<void> {
  const dispute = getDisputeByOrder(escrow.ctx.db, orderId);
  if (!dispute || (dispute.status !== 'initiated' && dispute.status !== 'in-progress')) return;
  if (!updateDispute(escrow.ctx.db, dispute.id, { status }, { ifStatus: dispute.status })) return;
  const closed = getDisputeByOrder(escrow.ctx.db, orderId);
  if (closed) await escrow.ctx.publish.dispute(closed);
}
