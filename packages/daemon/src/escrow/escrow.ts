// The node's escrow over a LightningBackend: the seller's hold invoice, its settlement or refund, and
// the buyer's payout. Money safety rules, applied to every Lightning call below:
//  - the state that the call is meant to produce is persisted (order columns + a journal entry)
//    BEFORE the call, and its outcome after it, so a crash at any point leaves an intent that
//    `reconcile` (start-up) and the jobs finish;
//  - a hold invoice is settled only from `settleAndPay` (seller's release, solver's settle);
//  - a payout is tracked by its payment hash, persisted before paying; an unknown outcome stays
//    `in_flight` and is only ever re-asked by hash, never re-sent; a different invoice (a new hash) is
//    only paid after the previous payment is known to have failed.
//
// This file is the class that wires the escrow together (its state: the per-order lock, hold
// invoice subscriptions, background work); the steps live in hold.ts, hold-update.ts, settle.ts and
// payout.ts as functions over `EscrowDeps` (ports.ts), each run with the order's lock held. What
// the escrow needs from the node comes in at construction: its context and a PartyNotifier.
import { routingFeeCap } from '@mostro/protocol';
import { appendJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { getOrder, getOrderByHash } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { setOrder } from '../orders/update.ts';
import { cancelHold, holdMissing, requestSellerPayment } from './hold.ts';
import { announceActive, onHoldUpdate } from './hold-update.ts';
import { checkBuyerInvoice, invoiceNetworkName } from './invoice.ts';
import { KeyedLock } from './keyed-lock.ts';
import { createHttpLnurlResolver, type LnurlResolver } from './lnurl.ts';
import { lastPayoutAttemptAt, pay } from './payout.ts';
import type { Escrow, EscrowContext, EscrowDeps, PartyNotifier } from './ports.ts';
import { type ProbeVerdict, probePayout } from './probe.ts';
import { type ReconcileReport, reconcileEscrow } from './reconcile.ts';
import { settle, settleCall } from './settle.ts';

export { EscrowError } from './error.ts';
export { HELD_STATUSES, REFUND_STATUSES } from './statuses.ts';

/** How long a handler waits for a route probe before treating it as inconclusive. */
const PROBE_BUDGET_MS = 5000;

export interface EscrowOptions {
  /** Lightning address / LNURL resolution; default over HTTPS. */
  resolver?: LnurlResolver;
}

export class LightningEscrow implements Escrow, EscrowDeps {
  readonly lock = new KeyedLock();
  readonly resolver: LnurlResolver;
  readonly #subscriptions = new Map<string, () => void>();
  readonly #background = new Set<Promise<void>>();
  #networks: Promise<string[]> | null = null;
  #closed = false;

  constructor(
    readonly ctx: EscrowContext,
    readonly notifier: PartyNotifier,
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
  requestSellerPayment(order: OrderRow, requestId: bigint | null = null): Promise<void> {
    return this.lock.run(order.id, () => requestSellerPayment(this, order, requestId));
  }

  /**
   * Settles the hold invoice of an order the seller released or a solver settled, then pays the
   * buyer. `afterSettle` runs between the two (the caller's "released" messages go before the
   * payout's). The settle decision is persisted first; if the settle call fails the order stays
   * `settled-hold-invoice` with the hold `accepted`, and the payout job settles it later.
   */
  async settleAndPay(order: OrderRow, afterSettle?: (settled: OrderRow) => Promise<void>): Promise<void> {
    const settled = await this.lock.run(order.id, () => settle(this, order));
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
    return this.lock.run(order.id, () => cancelHold(this, getOrder(this.ctx.db, order.id) ?? order));
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
    return this.lock.run(order.id, () => onHoldUpdate(this, order.id, invoice));
  }

  /** Asks the backend for the order's hold invoice and acts on it (jobs, reconciliation). */
  async refreshHold(order: OrderRow): Promise<HoldInvoice | null> {
    if (!order.hash) return null;
    const r = await this.ctx.lightning.getHoldInvoice(order.hash);
    if (r.ok) {
      await this.lock.run(order.id, () => onHoldUpdate(this, order.id, r.value));
      return r.value;
    }
    if (r.error.code === 'not_found') return this.lock.run(order.id, () => holdMissing(this, order.id));
    return null;
  }

  /** Pays (or keeps paying, or checks) the buyer of a released order; safe to call any time. */
  payBuyer(orderId: string): Promise<void> {
    return this.lock.run(orderId, () => pay(this, orderId));
  }

  /** Re-tries a settle whose call failed after the decision was persisted (job, reconciliation). */
  finishSettle(orderId: string): Promise<void> {
    return this.lock.run(orderId, async () => {
      const order = getOrder(this.ctx.db, orderId);
      if (order?.status === 'settled-hold-invoice' && order.hold_state === 'accepted') await settleCall(this, order);
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
    return cancelHold(this, order);
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

  /** Public for add-invoice: the buyer's invoice arrived after the seller had paid. */
  async activate(order: OrderRow, patch: OrderPatch): Promise<void> {
    await this.lock.run(order.id, async () => {
      transaction(this.ctx.db, () => {
        const active = setOrder(this.ctx, order, { ...patch, status: 'active' }, 'waiting-buyer-invoice');
        this.#journal(active.id, 'order.active', { by: 'add-invoice' });
        announceActive(this, active);
      });
    });
  }

  /** When the last payout attempt of an order started (unix seconds), from the journal. */
  lastPayoutAttemptAt(orderId: string): number | null {
    return lastPayoutAttemptAt(this, orderId);
  }

  /** Appends to the escrow journal (what happened to the money, for operators and reconciliation). */
  journal(orderId: string, step: string, detail: unknown): void {
    this.#journal(orderId, step, detail);
  }

  #journal(orderId: string, step: string, detail: unknown): void {
    appendJournal(this.ctx.db, orderId, step, detail, this.ctx.clock.now());
  }
}
