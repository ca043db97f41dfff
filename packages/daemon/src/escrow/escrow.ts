// The node's escrow over a LightningBackend: the seller's hold invoice, its settlement or refund, and
// the buyer's payout. Money safety rules, applied to every Lightning call below:
//  - the state that the call is meant to produce is persisted (order columns + a journal entry)
//    BEFORE the call, and its outcome after it, so a crash at any point leaves an intent that
//    `reconcile` (start-up) and the jobs finish;
//  - a hold invoice is settled only from `settleAndPay` (seller's release, solver's settle);
//  - a payout is tracked by its payment hash, persisted before paying; an unknown outcome stays
//    `in_flight` and is only ever re-asked by hash, never re-sent; a different invoice (a new hash) is
//    only paid after the previous payment is known to have failed.
import { randomBytes } from 'node:crypto';
import { routingFeeCap } from '@mostro/protocol';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { AppContext, Escrow } from '../app/context.ts';
import { notify, smallOrder } from '../app/messages.ts';
import { OrderConflict, setOrder } from '../app/order-update.ts';
import { announceRelease, releasePending } from '../app/release.ts';
import { peerReputation } from '../app/reputation.ts';
import { getDisputeByOrder, updateDispute } from '../db/disputes.ts';
import { appendJournal, listJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { getOrder, getOrderByHash } from '../db/orders.ts';
import type { HoldInvoice, LnError, Payment } from '../lightning/backend.ts';
import { checkBuyerInvoice, invoiceNetworkName } from './invoice.ts';
import { KeyedLock } from './keyed-lock.ts';
import { createHttpLnurlResolver, isLnurlTarget, type LnurlResolver, stripLightningPrefix } from './lnurl.ts';
import { holdInvoiceMemo } from './memo.ts';
import { type ProbeVerdict, probePayout } from './probe.ts';
import { type ReconcileReport, reconcileEscrow } from './reconcile.ts';

/** Statuses in which the seller's sats are locked in an accepted hold invoice, before any release. */
export const HELD_STATUSES = ['active', 'fiat-sent', 'dispute'] as const;
/** Statuses of an order that no longer wants its hold invoice: any open or accepted hold is refunded. */
export const REFUND_STATUSES = [
  'canceled',
  'cooperatively-canceled',
  'canceled-by-admin',
  'expired',
  'pending',
] as const;

const PAY_TIMEOUT_SECONDS = 60;
/** How long a handler waits for a route probe before treating it as inconclusive. */
const PROBE_BUDGET_MS = 5000;

/** A Lightning call failed in a way the caller cannot fix; the state says what is left to do. */
export class EscrowError extends Error {
  constructor(
    readonly orderId: string,
    readonly step: string,
    readonly lnError: LnError | null,
    detail?: string,
  ) {
    super(`escrow ${step} for order ${orderId}: ${detail ?? lnError?.message ?? 'failed'}`);
    this.name = 'EscrowError';
  }
}

export interface EscrowOptions {
  /** Lightning address / LNURL resolution; default over HTTPS. */
  resolver?: LnurlResolver;
}

export class LightningEscrow implements Escrow {
  readonly lock = new KeyedLock();
  readonly resolver: LnurlResolver;
  readonly #subscriptions = new Map<string, () => void>();
  readonly #background = new Set<Promise<void>>();
  #networks: Promise<string[]> | null = null;
  #closed = false;

  constructor(
    readonly ctx: AppContext,
    options: EscrowOptions = {},
  ) {
    this.resolver = options.resolver ?? createHttpLnurlResolver();
  }

  // ---- the Escrow interface --------------------------------------------------------------------

  /**
   * Creates the hold invoice (amount + fee) of a taken order, moves it to `waiting-payment` and asks
   * the seller to pay it. Throws EscrowError (with the order back in its previous state) when the
   * invoice cannot be created.
   */
  requestSellerPayment(order: OrderRow): Promise<void> {
    return this.lock.run(order.id, () => this.#requestSellerPayment(order));
  }

  /**
   * Settles the hold invoice of an order the seller released or a solver settled, then pays the
   * buyer. `afterSettle` runs between the two (the caller's "released" messages go before the
   * payout's). The settle decision is persisted first; if the settle call fails the order stays
   * `settled-hold-invoice` with the hold `accepted`, and the payout job settles it later.
   */
  async settleAndPay(order: OrderRow, afterSettle?: (settled: OrderRow) => Promise<void>): Promise<void> {
    const settled = await this.lock.run(order.id, () => this.#settle(order));
    if (afterSettle) await afterSettle(settled);
    // The payout runs in the background: a payment may take a while and must not hold up the
    // handler (nor, behind it, everyone else's messages). Its outcome is persisted as it happens.
    this.spawn(`payout of ${settled.id}`, () => this.payBuyer(settled.id));
  }

  /**
   * Cancels the order's hold invoice (the seller is refunded if they paid). No-op without one.
   * Throws when the backend could not confirm the cancel: the caller must not forget the hash then
   * (a refund job cancels holds of canceled orders later).
   */
  cancelHold(order: OrderRow): Promise<void> {
    return this.lock.run(order.id, () => this.#cancelHold(getOrder(this.ctx.db, order.id) ?? order));
  }

  validateBuyerInvoice(invoice: string, expectedSats: number | null): Promise<string | null> {
    return checkBuyerInvoice(
      {
        lightning: this.ctx.lightning,
        settings: this.ctx.settings,
        resolver: this.resolver,
        now: () => this.ctx.clock.now(),
        networks: () => this.networks(),
      },
      invoice,
      expectedSats,
    );
  }

  /**
   * At start, before new messages are accepted: compares every order whose money is not final with
   * the backend and moves it forward (see reconcile.ts). Also re-subscribes to live hold invoices.
   */
  async reconcile(): Promise<void> {
    await this.reconcileReport();
  }

  /** `reconcile`, with what it did and what it could not resolve yet. */
  async reconcileReport(): Promise<ReconcileReport> {
    const report = await reconcileEscrow(this);
    if (report.unresolved.length > 0) {
      this.ctx.log.warn(`escrow: ${report.unresolved.length} order(s) could not be reconciled yet`, report.unresolved);
    }
    return report;
  }

  // ---- more of the escrow, for handlers, jobs and reconciliation -------------------------------

  /** The node's networks, BOLT-11 spelling; asked once. */
  networks(): Promise<string[]> {
    if (!this.#networks) {
      this.#networks = this.ctx.lightning.getInfo().then((r) => {
        if (!r.ok) {
          this.#networks = null;
          return [];
        }
        return r.value.networks.map(invoiceNetworkName);
      });
    }
    return this.#networks;
  }

  /** The buyer's payout: amount − fee. */
  payoutSats(order: OrderRow): number {
    return order.amount - order.fee;
  }

  routingCap(order: OrderRow): number {
    return routingFeeCap(order.amount, this.ctx.settings.mostro.max_routing_fee);
  }

  /** Probes the order's stored buyer invoice (or `invoice`) for a route; journaled. */
  async probe(order: OrderRow, invoice = order.buyer_invoice): Promise<ProbeVerdict> {
    if (!invoice) return { verdict: 'unknown', reason: 'no invoice' };
    // Bounded: a slow probe (LND may take up to a minute) means "cannot tell", never a long wait.
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<ProbeVerdict>((resolve) => {
      timer = setTimeout(() => resolve({ verdict: 'unknown', reason: 'probe took too long' }), PROBE_BUDGET_MS);
      timer.unref();
    });
    const verdict = await Promise.race([
      probePayout(this.ctx.lightning, this.resolver, invoice, this.payoutSats(order), this.routingCap(order)),
      budget,
    ]).finally(() => clearTimeout(timer));
    this.#journal(order.id, 'payout.probe', verdict);
    return verdict;
  }

  /** Follows the order's hold invoice (seller paid, canceled by the node) until it is final. */
  watch(order: OrderRow): void {
    const hash = order.hash;
    if (this.#closed || !hash || this.#subscriptions.has(hash)) return;
    const stop = this.ctx.lightning.subscribeHoldInvoice(hash, (invoice) => {
      if (invoice.state === 'settled' || invoice.state === 'canceled') {
        this.#subscriptions.get(hash)?.();
        this.#subscriptions.delete(hash);
      }
      void this.onHoldUpdate(invoice).catch((error) => this.ctx.log.error('escrow: hold update failed', error));
    });
    this.#subscriptions.set(hash, stop);
  }

  /** Reacts to a hold invoice's state (from a subscription, a poll or reconciliation). */
  onHoldUpdate(invoice: HoldInvoice): Promise<void> {
    const order = getOrderByHash(this.ctx.db, invoice.hash);
    if (!order) return Promise.resolve();
    return this.lock.run(order.id, () => this.#onHoldUpdate(order.id, invoice));
  }

  /** Asks the backend for the order's hold invoice and acts on it (jobs, reconciliation). */
  async refreshHold(order: OrderRow): Promise<HoldInvoice | null> {
    if (!order.hash) return null;
    const r = await this.ctx.lightning.getHoldInvoice(order.hash);
    if (r.ok) {
      await this.lock.run(order.id, () => this.#onHoldUpdate(order.id, r.value));
      return r.value;
    }
    if (r.error.code === 'not_found') return this.lock.run(order.id, () => this.#holdMissing(order.id));
    return null;
  }

  /** Pays (or keeps paying, or checks) the buyer of a released order; safe to call any time. */
  payBuyer(orderId: string): Promise<void> {
    return this.lock.run(orderId, () => this.#pay(orderId));
  }

  /** Re-tries a settle whose call failed after the decision was persisted (job, reconciliation). */
  finishSettle(orderId: string): Promise<void> {
    return this.lock.run(orderId, async () => {
      const order = getOrder(this.ctx.db, orderId);
      if (order?.status === 'settled-hold-invoice' && order.hold_state === 'accepted') await this.#settleCall(order);
    });
  }

  /**
   * Runs `fn` holding the order's escrow lock, with the order as it is now. Inside, use the
   * `…Locked` methods (the plain ones would wait for the lock `fn` holds).
   */
  exclusive<T>(orderId: string, fn: (order: OrderRow | undefined) => Promise<T>): Promise<T> {
    return this.lock.run(orderId, () => fn(getOrder(this.ctx.db, orderId)));
  }

  /** cancelHold for use inside `exclusive`. */
  cancelHoldLocked(order: OrderRow): Promise<void> {
    return this.#cancelHold(order);
  }

  /** Resolves when no escrow work is queued (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
    await this.lock.idle();
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  /** Runs escrow work nobody waits for (payouts, probes after a reply); errors are logged. */
  spawn(what: string, fn: () => Promise<unknown>): void {
    const run: Promise<void> = fn()
      .then(() => undefined)
      .catch((error) => this.ctx.log.error(`escrow: ${what} failed`, error))
      .finally(() => this.#background.delete(run));
    this.#background.add(run);
  }

  close(): void {
    this.#closed = true;
    for (const stop of this.#subscriptions.values()) stop();
    this.#subscriptions.clear();
  }

  // ---- hold invoice ----------------------------------------------------------------------------

  async #requestSellerPayment(order: OrderRow): Promise<void> {
    const { ctx } = this;
    const previous = getOrder(ctx.db, order.id);
    if (!previous || previous.status !== order.status) throw new OrderConflict(order.id);
    const preimageBytes = randomBytes(32);
    const preimage = bytesToHex(preimageBytes);
    const hash = bytesToHex(sha256(preimageBytes));
    const amountSats = previous.amount + previous.fee;
    const intent = transaction(ctx.db, () => {
      const o = setOrder(ctx, previous, { preimage, hash, hold_state: 'open' });
      this.#journal(o.id, 'hold.add', { hash, amountSats });
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
      this.#journal(order.id, 'hold.add.failed', r.error);
      // An unreachable backend may still have created it: cancel it so nobody can pay it.
      if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
        this.#journal(order.id, 'hold.cancel', { hash, why: 'creation unconfirmed' });
        const c = await ctx.lightning.cancelHoldInvoice(hash);
        this.#journal(order.id, c.ok ? 'hold.canceled' : 'hold.cancel.failed', c.ok ? {} : c.error);
      }
      setOrder(ctx, intent, { preimage: null, hash: null, hold_state: null });
      throw new EscrowError(order.id, 'hold.add', r.error);
    }
    const waiting = transaction(ctx.db, () => {
      const o = setOrder(ctx, intent, { status: 'waiting-payment', taken_at: ctx.clock.now() });
      this.#journal(o.id, 'hold.added', { hash, request: r.value.request });
      return o;
    });
    await this.#sendPayInvoice(waiting, r.value.request);
    await ctx.publish.order(waiting);
    this.watch(waiting);
  }

  async #sendPayInvoice(order: OrderRow, request: string): Promise<void> {
    const small = smallOrder(order, { view: 'seller' });
    await notify(this.ctx, order, 'seller', 'pay-invoice', {
      trade_index: order.kind === 'buy' ? order.trade_index_seller : null,
      payload: { payment_request: [small, request, null] },
    });
    await notify(this.ctx, order, 'buyer', 'waiting-seller-to-pay');
  }

  async #onHoldUpdate(orderId: string, invoice: HoldInvoice): Promise<void> {
    const order = getOrder(this.ctx.db, orderId);
    if (!order || order.hash !== invoice.hash) return;
    switch (invoice.state) {
      case 'accepted':
        return this.#holdAccepted(order);
      case 'canceled':
        return this.#holdCanceled(order);
      case 'settled':
        if (order.hold_state !== 'settled') {
          if (order.status === 'settled-hold-invoice' || order.status === 'success') {
            setOrder(this.ctx, order, { hold_state: 'settled' });
            this.#journal(order.id, 'hold.settled', { seen: 'backend' });
          } else {
            // Only settleAndPay settles, and it persists settled-hold-invoice first: this is not ours.
            this.#journal(order.id, 'hold.settled.unexpected', { status: order.status });
            this.ctx.log.error(`escrow: hold invoice of order ${order.id} settled while ${order.status}`);
          }
        }
        return;
      case 'open':
        if ((REFUND_STATUSES as readonly string[]).includes(order.status)) return this.#cancelHold(order);
        if (order.hold_state === 'open' && !this.#holdAnnounced(order)) return this.#finishHoldAdd(order, invoice);
        return;
    }
  }

  /** The seller paid (the HTLC is accepted). */
  async #holdAccepted(order: OrderRow): Promise<void> {
    const { ctx } = this;
    if ((REFUND_STATUSES as readonly string[]).includes(order.status)) {
      // Paid after the order was canceled or timed out: give it back.
      this.#journal(order.id, 'hold.accepted.late', { status: order.status });
      await this.#cancelHold(order);
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
      ? await this.validateBuyerInvoice(order.buyer_invoice!, this.payoutSats(order))
      : null;
    if (invoiceProblem) this.#journal(order.id, 'invoice.stale', { reason: invoiceProblem });
    if (order.buyer_invoice && !invoiceProblem) {
      const active = transaction(ctx.db, () => {
        const o = setOrder(ctx, order, { status: 'active', hold_state: 'accepted', invoice_held_at: now });
        this.#journal(o.id, 'hold.accepted', { next: 'active' });
        return o;
      });
      await this.#announceActive(active);
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
      this.#journal(o.id, 'hold.accepted', { next: 'waiting-buyer-invoice' });
      return o;
    });
    await notify(ctx, waiting, 'buyer', 'add-invoice', { payload: { order: smallOrder(waiting, { view: 'buyer' }) } });
    await notify(ctx, waiting, 'seller', 'waiting-buyer-invoice');
    await notify(ctx, waiting, 'buyer', 'add-invoice', {
      payload: { peer: peerReputation(ctx, waiting.master_seller_pubkey) },
    });
    await ctx.publish.order(waiting);
  }

  /** Escrow locked and the buyer's invoice known: the fiat leg starts (§5.7 step 4). */
  async #announceActive(order: OrderRow): Promise<void> {
    await notify(this.ctx, order, 'seller', 'buyer-took-order', {
      payload: { order: smallOrder(order, { view: 'seller', withTradeKeys: true }) },
    });
    await notify(this.ctx, order, 'buyer', 'hold-invoice-payment-accepted', {
      payload: { order: smallOrder(order, { view: 'buyer', withTradeKeys: true }) },
    });
    await this.ctx.publish.order(order);
  }

  /** Public for add-invoice: the buyer's invoice arrived after the seller had paid. */
  async activate(order: OrderRow, patch: OrderPatch): Promise<void> {
    await this.lock.run(order.id, async () => {
      const active = setOrder(this.ctx, order, { ...patch, status: 'active' }, 'waiting-buyer-invoice');
      this.#journal(active.id, 'order.active', { by: 'add-invoice' });
      await this.#announceActive(active);
    });
  }

  /** The hold invoice is canceled at the backend (by us, by expiry, or by the node at the CLTV horizon). */
  async #holdCanceled(order: OrderRow): Promise<void> {
    const { ctx } = this;
    if (order.hold_state === 'canceled') return;
    const lockedStatuses: readonly string[] = [...HELD_STATUSES, 'settled-hold-invoice'];
    const wasLocked =
      lockedStatuses.includes(order.status) ||
      (order.status === 'waiting-buyer-invoice' && order.hold_state === 'accepted');
    if (!wasLocked) {
      setOrder(ctx, order, { hold_state: 'canceled' });
      this.#journal(order.id, 'hold.canceled', { status: order.status });
      return;
    }
    // The Lightning node gave the seller's sats back on its own: the trade cannot go on.
    if (order.status === 'settled-hold-invoice') {
      ctx.log.error(`escrow: hold invoice of released order ${order.id} was canceled by the node; seller refunded`);
    }
    const canceled = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, { status: 'canceled', hold_state: 'canceled' });
      this.#journal(o.id, 'hold.canceled.by-node', { status: order.status });
      return o;
    });
    await this.#closeDispute(order.id, 'seller-refunded');
    await notify(ctx, canceled, 'buyer', 'hold-invoice-payment-canceled');
    await notify(ctx, canceled, 'seller', 'hold-invoice-payment-canceled');
    await ctx.publish.order(canceled);
  }

  /** Was the seller told about this hold invoice (journal `hold.added` for its hash)? */
  #holdAnnounced(order: OrderRow): boolean {
    return listJournal(this.ctx.db, order.id).some(
      (e) => e.step === 'hold.added' && (e.detail as { hash?: string }).hash === order.hash,
    );
  }

  /** The hold invoice was created but the node stopped before recording it: finish that step. */
  async #finishHoldAdd(order: OrderRow, invoice: HoldInvoice): Promise<void> {
    const waiting = transaction(this.ctx.db, () => {
      const o = setOrder(this.ctx, order, { status: 'waiting-payment', taken_at: this.ctx.clock.now() }, [
        'waiting-payment',
        'waiting-buyer-invoice',
      ]);
      this.#journal(o.id, 'hold.added', { hash: invoice.hash, request: invoice.request, recovered: true });
      return o;
    });
    await this.#sendPayInvoice(waiting, invoice.request);
    await this.ctx.publish.order(waiting);
    this.watch(waiting);
  }

  /** The backend does not know the hash; returns the recreated invoice if it had to be recreated. */
  async #holdMissing(orderId: string): Promise<HoldInvoice | null> {
    const order = getOrder(this.ctx.db, orderId);
    if (!order?.hash) return null;
    if (
      order.hold_state === 'open' &&
      (order.status === 'waiting-payment' || order.status === 'waiting-buyer-invoice')
    ) {
      // The intent was persisted but the invoice never made it (crash or lost call): create it now.
      this.#journal(order.id, 'hold.missing', { action: 'recreate' });
      const r = await this.ctx.lightning.addHoldInvoice({
        hash: order.hash,
        amountSats: order.amount + order.fee,
        memo: holdInvoiceMemo(order),
        expirySeconds: this.ctx.settings.lightning.hold_invoice_expiration_window,
        cltvDelta: this.ctx.settings.lightning.hold_invoice_cltv_delta,
      });
      if (!r.ok) {
        this.#journal(order.id, 'hold.add.failed', r.error);
        return null;
      }
      await this.#finishHoldAdd(order, r.value);
      return r.value;
    }
    if (order.hold_state === 'open' || order.hold_state === null) {
      // Never created and no longer wanted: nothing is locked.
      setOrder(this.ctx, order, { hold_state: 'canceled' });
      this.#journal(order.id, 'hold.missing', { action: 'mark-canceled', status: order.status });
      return null;
    }
    this.#journal(order.id, 'hold.missing', { action: 'none', hold_state: order.hold_state });
    this.ctx.log.error(`escrow: the backend does not know the ${order.hold_state} hold invoice of order ${order.id}`);
    return null;
  }

  async #cancelHold(order: OrderRow): Promise<void> {
    const { ctx } = this;
    if (!order.hash || order.hold_state === 'canceled' || order.hold_state === null) return;
    if (order.hold_state === 'settled') throw new EscrowError(order.id, 'hold.cancel', null, 'hold invoice is settled');
    this.#journal(order.id, 'hold.cancel', { hash: order.hash, status: order.status });
    const r = await ctx.lightning.cancelHoldInvoice(order.hash);
    if (!r.ok && r.error.code !== 'not_found') {
      this.#journal(order.id, 'hold.cancel.failed', r.error);
      throw new EscrowError(order.id, 'hold.cancel', r.error);
    }
    const fresh = getOrder(ctx.db, order.id);
    if (fresh && fresh.hash === order.hash) setOrder(ctx, fresh, { hold_state: 'canceled' });
    this.#journal(order.id, 'hold.canceled', { status: order.status });
  }

  // ---- settle ----------------------------------------------------------------------------------

  async #settle(order: OrderRow): Promise<OrderRow> {
    const { ctx } = this;
    const fresh = getOrder(ctx.db, order.id);
    if (!fresh || fresh.status !== order.status) throw new OrderConflict(order.id);
    if (!fresh.preimage || fresh.hold_state !== 'accepted') {
      throw new EscrowError(order.id, 'hold.settle', null, `hold invoice is ${fresh.hold_state ?? 'missing'}`);
    }
    // Before taking the seller's sats: will the buyer's invoice be payable? (journaled; acted on
    // after a failed first attempt, see #payoutFailed.)
    const probe = await this.probe(fresh);
    const decided = transaction(ctx.db, () => {
      const o = setOrder(ctx, fresh, { status: 'settled-hold-invoice' });
      this.#journal(o.id, 'hold.settle', { from: fresh.status, probe: probe.verdict });
      return o;
    });
    return this.#settleCall(decided);
  }

  async #settleCall(order: OrderRow): Promise<OrderRow> {
    const r = await this.ctx.lightning.settleHoldInvoice(order.preimage!);
    if (!r.ok) {
      this.#journal(order.id, 'hold.settle.failed', r.error);
      if (r.error.code === 'invalid_state' || r.error.code === 'not_found') await this.#refreshLocked(order);
      throw new EscrowError(order.id, 'hold.settle', r.error);
    }
    const settled = setOrder(this.ctx, order, { hold_state: 'settled' });
    this.#journal(order.id, 'hold.settled', {});
    return settled;
  }

  async #refreshLocked(order: OrderRow): Promise<void> {
    const r = await this.ctx.lightning.getHoldInvoice(order.hash!);
    if (r.ok) await this.#onHoldUpdate(order.id, r.value);
  }

  // ---- payout ----------------------------------------------------------------------------------

  async #pay(orderId: string): Promise<void> {
    const { ctx } = this;
    const order = getOrder(ctx.db, orderId);
    if (order?.status !== 'settled-hold-invoice' || order.hold_state !== 'settled') return;
    // A release whose settle was finished by a job or by reconciliation: its messages come first.
    if (releasePending(ctx, order.id)) await announceRelease(ctx, order);
    if (order.payout_state === 'succeeded') return;
    if (order.payout_state === 'in_flight') return this.#checkPayout(order);
    const max = ctx.settings.lightning.payment_attempts;
    if (order.failed_payment && order.payment_attempts >= max) return; // waiting for a new invoice
    if (!order.buyer_invoice) return;

    const amountSats = this.payoutSats(order);
    const maxFeeSats = this.routingCap(order);
    let request = stripLightningPrefix(order.buyer_invoice);
    if (isLnurlTarget(request)) {
      const resolved = await this.resolver.invoice(request, amountSats);
      if (!resolved.ok) {
        this.#journal(order.id, 'payout.resolve.failed', { reason: resolved.reason });
        return this.#payoutFailed(setOrder(ctx, order, { payment_attempts: order.payment_attempts + 1 }), {
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
      this.#journal(order.id, 'payout.invalid', error);
      return this.#payoutFailed(setOrder(ctx, order, { payment_attempts: order.payment_attempts + 1 }), error);
    }
    const hash = decoded.value.hash;
    const inFlight = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, {
        payout_hash: hash,
        payout_state: 'in_flight',
        payment_attempts: order.payment_attempts + 1,
      });
      this.#journal(o.id, 'payout.pay', { hash, request, amountSats, maxFeeSats, attempt: o.payment_attempts });
      return o;
    });
    const r = await ctx.lightning.pay({ request, amountSats, maxFeeSats, timeoutSeconds: PAY_TIMEOUT_SECONDS });
    if (r.ok) return this.#payoutResult(inFlight, r.value);
    if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
      // Unknown outcome: fail closed. Stays in flight; only asked again by hash.
      this.#journal(order.id, 'payout.unknown', r.error);
      return;
    }
    return this.#payoutFailed(inFlight, r.error);
  }

  async #checkPayout(order: OrderRow): Promise<void> {
    if (!order.payout_hash) return;
    const r = await this.ctx.lightning.getPayment(order.payout_hash);
    if (r.ok) return this.#payoutResult(order, r.value);
    if (r.error.code === 'not_found') {
      // The backend is reachable and never saw it: the call did not get through, nothing was sent.
      // Not an attempt; pay now (the same invoice, so the same hash: the backend pays a hash once).
      const reset = transaction(this.ctx.db, () => {
        const o = setOrder(this.ctx, order, {
          payout_state: 'none',
          payment_attempts: Math.max(0, order.payment_attempts - 1),
        });
        this.#journal(order.id, 'payout.not-sent', r.error);
        return o;
      });
      return this.#pay(reset.id);
    }
    this.#journal(order.id, 'payout.unknown', r.error);
  }

  async #payoutResult(order: OrderRow, payment: Payment): Promise<void> {
    if (payment.state === 'in_flight') {
      this.#journal(order.id, 'payout.in-flight', { hash: payment.hash });
      return;
    }
    if (payment.state === 'failed') {
      return this.#payoutFailed(order, { code: payment.failure ?? 'payment_failed', message: 'payment failed' });
    }
    const { ctx } = this;
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
      this.#journal(o.id, 'payout.succeeded', {
        hash: payment.hash,
        amountSats: payment.amountSats,
        feeSats: payment.feeSats,
      });
      return o;
    });
    await notify(ctx, done, 'buyer', 'purchase-completed');
    await notify(ctx, done, 'buyer', 'rate');
    await ctx.publish.order(done);
  }

  async #payoutFailed(order: OrderRow, error: LnError): Promise<void> {
    const { ctx } = this;
    const max = ctx.settings.lightning.payment_attempts;
    // An invoice the pre-settle probe called unpayable and that then failed: no point retrying it.
    const probedBad = this.#lastProbe(order.id) === 'unpayable';
    const attempts = probedBad ? Math.max(order.payment_attempts, max) : order.payment_attempts;
    const failed = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, { payout_state: 'failed', failed_payment: true, payment_attempts: attempts });
      this.#journal(o.id, 'payout.failed', { ...error, attempt: order.payment_attempts });
      return o;
    });
    if (order.payment_attempts === 1) {
      await notify(ctx, failed, 'buyer', 'payment-failed', {
        payload: {
          payment_failed: {
            payment_attempts: max - 1,
            payment_retries_interval: ctx.settings.lightning.payment_retries_interval,
          },
        },
      });
    }
    if (attempts >= max) {
      await notify(ctx, failed, 'buyer', 'add-invoice', { payload: { order: smallOrder(failed, { view: 'buyer' }) } });
    }
  }

  #lastProbe(orderId: string): string | null {
    const entries = listJournal(this.ctx.db, orderId);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.step === 'payout.probe') return (e.detail as { verdict?: string }).verdict ?? null;
      if (e.step === 'invoice.updated') return null;
    }
    return null;
  }

  /** When the last payout attempt of an order started (unix seconds), from the journal. */
  lastPayoutAttemptAt(orderId: string): number | null {
    const entries = listJournal(this.ctx.db, orderId);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.step === 'payout.pay' || e.step === 'payout.resolve.failed' || e.step === 'payout.invalid') return e.at;
    }
    return null;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  async #closeDispute(orderId: string, status: 'settled' | 'seller-refunded'): Promise<void> {
    const dispute = getDisputeByOrder(this.ctx.db, orderId);
    if (!dispute || (dispute.status !== 'initiated' && dispute.status !== 'in-progress')) return;
    if (!updateDispute(this.ctx.db, dispute.id, { status }, { ifStatus: dispute.status })) return;
    const closed = getDisputeByOrder(this.ctx.db, orderId);
    if (closed) await this.ctx.publish.dispute(closed);
  }

  /** Appends to the escrow journal (what happened to the money, for operators and reconciliation). */
  journal(orderId: string, step: string, detail: unknown): void {
    this.#journal(orderId, step, detail);
  }

  #journal(orderId: string, step: string, detail: unknown): void {
    appendJournal(this.ctx.db, orderId, step, detail, this.ctx.clock.now());
  }
}

/** The escrow of a context built with `createEscrow` (jobs and handlers that need more than `Escrow`). */
export function escrowOf(ctx: AppContext): LightningEscrow {
  if (!(ctx.escrow instanceof LightningEscrow)) throw new Error('ctx.escrow is not a LightningEscrow');
  return ctx.escrow;
}

/** Builds the escrow for a context and installs it as `ctx.escrow`. */
export function createEscrow(ctx: AppContext, options: EscrowOptions = {}): LightningEscrow {
  const escrow = new LightningEscrow(ctx, options);
  ctx.escrow = escrow;
  return escrow;
}
