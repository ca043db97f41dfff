// The seller's hold invoice: creating it (and telling the seller), recreating one the backend lost,
// canceling it. Every function here runs with the order's escrow lock held (see escrow.ts).
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { listJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { smallOrder } from '../orders/small-order.ts';
import { OrderConflict, setOrder } from '../orders/update.ts';
import { EscrowError } from './error.ts';
import { holdInvoiceMemo } from './memo.ts';
import type { EscrowDeps } from './ports.ts';

export async function requestSellerPayment(
  escrow: EscrowDeps,
  order: OrderRow,
  requestId: bigint | null = null,
): Promise<void> {
  const { ctx } = escrow;
  const previous = getOrder(ctx.db, order.id);
  if (!previous || previous.status !== order.status) throw new OrderConflict(order.id);
  const preimageBytes = randomBytes(32);
  const preimage = bytesToHex(preimageBytes);
  const hash = bytesToHex(sha256(preimageBytes));
  const amountSats = previous.amount + previous.fee;
  const intent = transaction(ctx.db, () => {
    const o = setOrder(ctx, previous, { preimage, hash, hold_state: 'open' });
    escrow.journal(o.id, 'hold.add', { hash, amountSats });
    return o;
  });
  const r = await ctx.lightning.addHoldInvoice({
    hash,
    amountSats,
    memo: holdInvoiceMemo(intent),
    expirySeconds: ctx.settings.lightning.hold_invoice_expiration_window,
    cltvDelta: ctx.settings.lightning.hold_invoice_cltv_delta,
  });
  if (!r.ok) {
    escrow.journal(order.id, 'hold.add.failed', r.error);
    // An unreachable backend may still have created it: cancel it so nobody can pay it.
    if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
      escrow.journal(order.id, 'hold.cancel', { hash, why: 'creation unconfirmed' });
      const c = await ctx.lightning.cancelHoldInvoice(hash);
      escrow.journal(order.id, c.ok ? 'hold.canceled' : 'hold.cancel.failed', c.ok ? {} : c.error);
    }
    setOrder(ctx, intent, { preimage: null, hash: null, hold_state: null });
    throw new EscrowError(order.id, 'hold.add', r.error);
  }
  const waiting = transaction(ctx.db, () => {
    const o = setOrder(ctx, intent, { status: 'waiting-payment', taken_at: ctx.clock.now() });
    escrow.journal(o.id, 'hold.added', { hash, request: r.value.request });
    // The messages are outbox rows: they commit with the state (`hold.added` means told).
    sendPayInvoice(escrow, o, r.value.request, requestId);
    queueOrderEvent(escrow, o);
    return o;
  });
  escrow.watch(waiting);
}

// Both messages echo the request_id of the message that led here (take-buy, take-sell with an
// invoice, add-invoice) and carry each party's own trade index, as mostrod's show_hold_invoice
// does: the reference client matches the take's reply by request_id and records the trade from it.
// Synchronous (the notifier writes outbox rows): callers run it in the `hold.added` transaction.
function sendPayInvoice(escrow: EscrowDeps, order: OrderRow, request: string, requestId: bigint | null): void {
  const small = smallOrder(order, { view: 'seller' });
  void escrow.notifier.notify(order, 'seller', 'pay-invoice', {
    request_id: requestId,
    trade_index: order.trade_index_seller,
    payload: { payment_request: [small, request, null] },
  });
  void escrow.notifier.notify(order, 'buyer', 'waiting-seller-to-pay', {
    request_id: requestId,
    trade_index: order.trade_index_buyer,
  });
}

/** Was the seller told about this hold invoice (journal `hold.added` for its hash)? */
export function holdAnnounced(escrow: EscrowDeps, order: OrderRow): boolean {
  return listJournal(escrow.ctx.db, order.id).some(
    (e) => e.step === 'hold.added' && (e.detail as { hash?: string }).hash === order.hash,
  );
}

/** The hold invoice was created but the node stopped before recording it: finish that step. */
export async function finishHoldAdd(escrow: EscrowDeps, order: OrderRow, invoice: HoldInvoice): Promise<void> {
  const now = escrow.ctx.clock.now();
  // `taken_at` anchors the seller's deadline to the invoice's creation, so that the waiting timeout
  // ends the take when the invoice expires; an invoice that expired while the node was down is
  // never sent to the seller as payable.
  const expired = invoice.expiresAt <= now;
  const createdAt = invoice.expiresAt - escrow.ctx.settings.lightning.hold_invoice_expiration_window;
  const waiting = transaction(escrow.ctx.db, () => {
    const o = setOrder(escrow.ctx, order, { status: 'waiting-payment', taken_at: Math.min(now, createdAt) }, [
      'waiting-payment',
      'waiting-buyer-invoice',
    ]);
    escrow.journal(o.id, 'hold.added', { hash: invoice.hash, request: invoice.request, recovered: true, expired });
    // Recovery after a restart: the original request is gone, so nothing to echo.
    if (!expired) sendPayInvoice(escrow, o, invoice.request, null);
    queueOrderEvent(escrow, o);
    return o;
  });
  escrow.watch(waiting);
}

/** The backend does not know the hash; returns the recreated invoice if it had to be recreated. */
export async function holdMissing(escrow: EscrowDeps, orderId: string): Promise<HoldInvoice | null> {
  const order = getOrder(escrow.ctx.db, orderId);
  if (!order?.hash) return null;
  if (order.hold_state === 'open' && (order.status === 'waiting-payment' || order.status === 'waiting-buyer-invoice')) {
    // The intent was persisted but the invoice never made it (crash or lost call): create it now.
    escrow.journal(order.id, 'hold.missing', { action: 'recreate' });
    const r = await escrow.ctx.lightning.addHoldInvoice({
      hash: order.hash,
      amountSats: order.amount + order.fee,
      memo: holdInvoiceMemo(order),
      expirySeconds: escrow.ctx.settings.lightning.hold_invoice_expiration_window,
      cltvDelta: escrow.ctx.settings.lightning.hold_invoice_cltv_delta,
    });
    if (!r.ok) {
      escrow.journal(order.id, 'hold.add.failed', r.error);
      return null;
    }
    await finishHoldAdd(escrow, order, r.value);
    return r.value;
  }
  if (order.hold_state === 'open' || order.hold_state === null) {
    // Never created and no longer wanted: nothing is locked.
    setOrder(escrow.ctx, order, { hold_state: 'canceled' });
    escrow.journal(order.id, 'hold.missing', { action: 'mark-canceled', status: order.status });
    return null;
  }
  escrow.journal(order.id, 'hold.missing', { action: 'none', hold_state: order.hold_state });
  escrow.ctx.log.error(`escrow: the backend does not know the ${order.hold_state} hold invoice of order ${order.id}`);
  return null;
}

export async function cancelHold(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  const { ctx } = escrow;
  if (!order.hash || order.hold_state === 'canceled' || order.hold_state === null) return;
  if (order.hold_state === 'settled') throw new EscrowError(order.id, 'hold.cancel', null, 'hold invoice is settled');
  escrow.journal(order.id, 'hold.cancel', { hash: order.hash, status: order.status });
  const r = await ctx.lightning.cancelHoldInvoice(order.hash);
  if (!r.ok && r.error.code !== 'not_found') {
    escrow.journal(order.id, 'hold.cancel.failed', r.error);
    throw new EscrowError(order.id, 'hold.cancel', r.error);
  }
  const fresh = getOrder(ctx.db, order.id);
  if (fresh && fresh.hash === order.hash) setOrder(ctx, fresh, { hold_state: 'canceled' });
  escrow.journal(order.id, 'hold.canceled', { status: order.status });
}

/**
 * Queues the order's revision: the publisher writes its outbox row before returning and throws when
 * it cannot, so inside `transaction()` the revision commits with the state change, or neither does.
 */
export function queueOrderEvent(escrow: EscrowDeps, order: OrderRow): void {
  void escrow.ctx.publish.order(order);
}
