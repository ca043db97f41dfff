// A simulated Lightning network: named wallets with msat balances, real signed BOLT-11 invoices,
// hold invoices with expiry and CLTV, routing fees and injectable failures. The SQLite file is the
// only state: every operation runs in one transaction, so a killed process loses nothing committed
// and a reopened network is the same network. Money is conserved: the faucet is the only source,
// and minted = Σ balances + Σ in-flight (amount + fee) + routing fees collected, always.
//
// This file is the network's public face and its one transaction (`#run`); the parts it drives are
// ledger.ts (the tables), add-invoice.ts, route.ts (can a payment go through), htlc.ts (money moving
// along an HTLC), expiry.ts (what time does), rows.ts (row → view), types.ts and limits.ts.
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { DecodedInvoice } from '../backend.ts';
import { type InvoiceArgs, insertInvoice, invoiceArgsProblem } from './add-invoice.ts';
import { decodeInvoice } from './bolt11.ts';
import { catchUp } from './expiry.ts';
import { cancelInvoice, complete, deliver, failInFlight, recordFailed } from './htlc.ts';
import { Ledger } from './ledger.ts';
import {
  DEFAULT_INVOICE_CLTV,
  DEFAULT_INVOICE_EXPIRY,
  fail,
  HEX32,
  isWholeNumber,
  MAX_CLTV_DELTA,
  ok,
  ROUTE_CLTV,
  WALLET_NAME,
} from './limits.ts';
import { checkRoute, payeeRefusal } from './route.ts';
import { type InvoiceRow, type PaymentRow, toInvoiceView, toPaymentView, type WalletRow } from './rows.ts';
import { openStore } from './store.ts';
import {
  type AuditView,
  FAILURE_KINDS,
  type FailureRule,
  type InvoiceView,
  MAX_AMOUNT_SATS,
  MAX_FUND_SATS,
  type PaymentView,
  type PayRequest,
  type SimClock,
  type SimResult,
  type SimulatedNetworkOptions,
  type WalletView,
} from './types.ts';

export * from './types.ts';

const systemClock: SimClock = { now: () => Math.floor(Date.now() / 1000) };

type InvoiceListener = (invoice: InvoiceView) => void;

export class SimulatedNetwork {
  readonly clock: SimClock;
  readonly feeBaseMsat: number;
  readonly feePpm: number;
  readonly holdExpiryDelta: number;
  /** What getInfo reports as `syncedToChain`; tests set it false to play an LND that fell behind. */
  syncedToChain = true;
  readonly #listeners = new Set<InvoiceListener>();
  readonly #claimed = new Set<string>();
  /** One wrapper made once (making one prepares BEGIN/COMMIT): runs its argument in a transaction. */
  readonly #transaction: (fn: () => unknown) => unknown;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #ledger: Ledger;
  #closed = false;

  constructor(options: SimulatedNetworkOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.feeBaseMsat = options.feeBaseMsat ?? 1000;
    this.feePpm = options.feePpm ?? 1000;
    this.holdExpiryDelta = options.holdExpiryDelta ?? 12;
    if (!isWholeNumber(this.feeBaseMsat, 0, 1e9) || !isWholeNumber(this.feePpm, 0, 1e6)) {
      throw new Error('feeBaseMsat and feePpm must be non-negative integers (ppm at most 1e6)');
    }
    if (!isWholeNumber(this.holdExpiryDelta, 0, MAX_CLTV_DELTA)) throw new Error('bad holdExpiryDelta');
    const db = openStore(options.path ?? ':memory:', { height: options.startHeight ?? 200, now: this.clock.now() });
    this.#ledger = new Ledger(db, this.clock, this.feeBaseMsat, this.feePpm, this.holdExpiryDelta);
    this.#transaction = db.transaction((fn: () => unknown) => fn());
    this.tick();
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.#timer = setInterval(() => this.tick(), tickMs);
      this.#timer.unref();
    }
  }

  /** True when the clock can be moved by hand (advanceClock, POST /admin/advance). */
  get injectableClock(): boolean {
    return typeof this.clock.advance === 'function';
  }

  /** Current simulated block height (after catching up with the clock). */
  height(): number {
    this.#assertOpen();
    this.tick();
    return Number(this.#ledger.state().height);
  }

  // ---- wallets ---------------------------------------------------------------------------------

  /** The wallet's view, created (empty, with a fresh node key) on first use. */
  wallet(name: string): SimResult<WalletView> {
    if (!WALLET_NAME.test(name)) return fail('invalid_argument', 'wallet names are 1-64 of A-Z a-z 0-9 _ . -');
    return this.#run(() => ok(this.#ledger.walletView(this.#ledger.ensureWallet(name))));
  }

  wallets(): WalletView[] {
    this.#assertOpen();
    const rows = this.#ledger.sql('SELECT * FROM wallets ORDER BY name').all() as WalletRow[];
    return rows.map((w) => this.#ledger.walletView(w));
  }

  /** The wallet's node public key (hex, compressed): the destination of its invoices. */
  nodePubkey(name: string): SimResult<string> {
    const w = this.wallet(name);
    return w.ok ? ok(w.value.pubkey) : w;
  }

  /** Faucet: mints simulated sats into a wallet. There is no real money anywhere in this network. */
  fund(name: string, amountSats: number): SimResult<WalletView> {
    if (!WALLET_NAME.test(name)) return fail('invalid_argument', 'bad wallet name');
    if (!isWholeNumber(amountSats, 1, MAX_FUND_SATS)) {
      return fail('invalid_argument', `amount must be a whole number of sats from 1 to ${MAX_FUND_SATS}`);
    }
    return this.#run(() => {
      const w = this.#ledger.ensureWallet(name);
      const msat = BigInt(amountSats) * 1000n;
      this.#ledger.sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?').run(msat, name);
      this.#ledger.sql('UPDATE network SET minted_msat = minted_msat + ? WHERE id = 1').run(msat);
      return ok(this.#ledger.walletView({ ...w, balance_msat: w.balance_msat + msat }));
    });
  }

  // ---- invoices --------------------------------------------------------------------------------

  /** A regular invoice: the wallet makes the preimage and is paid at once (open → settled). */
  createInvoice(
    name: string,
    args: { amountSats: number | null; memo?: string; expirySeconds?: number; cltvDelta?: number },
  ): SimResult<InvoiceView> {
    const preimage = randomBytes(32);
    return this.#addInvoice(name, 'regular', {
      hash: bytesToHex(sha256(preimage)),
      preimage: bytesToHex(preimage),
      amountSats: args.amountSats,
      memo: args.memo ?? '',
      expirySeconds: args.expirySeconds ?? DEFAULT_INVOICE_EXPIRY,
      cltvDelta: args.cltvDelta ?? DEFAULT_INVOICE_CLTV,
    });
  }

  /** A hold invoice for a hash whose preimage the caller keeps: open → accepted → settled | canceled. */
  addHoldInvoice(
    name: string,
    args: { hash: string; amountSats: number; memo: string; expirySeconds: number; cltvDelta: number },
  ): SimResult<InvoiceView> {
    return this.#addInvoice(name, 'hold', { ...args, preimage: null });
  }

  /** An invoice by hash; with `wallet`, only one of that wallet's. */
  getInvoice(hash: string, wallet?: string): SimResult<InvoiceView> {
    return this.#run(() => {
      const row = this.#ledger.invoice(hash);
      if (!row || (wallet !== undefined && row.wallet !== wallet)) return fail('not_found', 'no such invoice');
      return ok(toInvoiceView(row));
    });
  }

  invoices(wallet: string): InvoiceView[] {
    this.#assertOpen();
    this.tick();
    const rows = this.#ledger
      .sql('SELECT * FROM invoices WHERE wallet = ? ORDER BY created_at, rowid')
      .all(wallet) as InvoiceRow[];
    return rows.map(toInvoiceView);
  }

  /** Settles an accepted hold invoice with its preimage: the payee is credited, the payer's payment succeeds. */
  settleHoldInvoice(wallet: string, preimage: string): SimResult<void> {
    if (typeof preimage !== 'string' || !HEX32.test(preimage))
      return fail('invalid_argument', 'preimage: 32 bytes hex');
    const hash = bytesToHex(sha256(hexToBytes(preimage)));
    return this.#run((changed) => {
      const inv = this.#ledger.invoice(hash);
      if (!inv || inv.wallet !== wallet || inv.kind !== 'hold') return fail('not_found', 'no such hold invoice');
      if (inv.state === 'settled') return ok(undefined); // a retried settle is not a second settle
      if (inv.state !== 'accepted') return fail('invalid_state', `hold invoice is ${inv.state}, not accepted`);
      complete(this.#ledger, inv, preimage);
      changed.add(hash);
      return ok(undefined);
    });
  }

  /** Cancels an open or accepted hold invoice; an accepted one's payer is refunded in full (fee included). */
  cancelHoldInvoice(wallet: string, hash: string): SimResult<void> {
    return this.#run((changed) => {
      const inv = this.#ledger.invoice(hash);
      if (!inv || inv.wallet !== wallet || inv.kind !== 'hold') return fail('not_found', 'no such hold invoice');
      if (inv.state === 'canceled') return ok(undefined);
      if (inv.state === 'settled') return fail('invalid_state', 'hold invoice is already settled');
      cancelInvoice(this.#ledger, inv, 'payment_failed: canceled by the payee');
      changed.add(hash);
      return ok(undefined);
    });
  }

  /**
   * Marks a wallet as a node's own (createSimulatedBackend does): the wallet API shows its balance
   * but will not spend from it, fund it or invoice for it, so a user cannot touch escrowed sats.
   */
  claimWallet(name: string): void {
    this.#claimed.add(name);
  }

  isClaimed(name: string): boolean {
    return this.#claimed.has(name);
  }

  /** Calls back (asynchronously, after commit) on every change of any invoice; returns the unsubscribe. */
  onInvoiceUpdate(listener: InvoiceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- payments --------------------------------------------------------------------------------

  /** Decodes any BOLT-11 request (ours or not). */
  decode(request: string): SimResult<DecodedInvoice> {
    return decodeInvoice(request);
  }

  /**
   * Pays a BOLT-11 request from a wallet. Idempotent by hash: when this wallet's payment of the hash
   * already succeeded or is in flight, that payment is returned and nothing moves. A hold invoice
   * returns in flight once accepted. A payment that cannot go through returns the error and is
   * recorded as failed (getPayment); a failed payment may be tried again.
   */
  pay(wallet: string, args: PayRequest): SimResult<PaymentView> {
    if (!WALLET_NAME.test(wallet)) return fail('invalid_argument', 'bad wallet name');
    const decoded = decodeInvoice(args.request);
    if (!decoded.ok) return decoded;
    const hash = decoded.value.hash;
    return this.#run((changed) => {
      const existing = this.#ledger.payment(wallet, hash);
      if (existing && existing.state !== 'failed') return ok(toPaymentView(existing));
      const route = checkRoute(this.#ledger, wallet, args, false);
      const payer = this.#ledger.ensureWallet(wallet);
      if (!route.ok) {
        if (route.error.code === 'invalid_argument' || route.error.code === 'invalid_invoice') return route;
        const asked = isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS) ? BigInt(args.amountSats) * 1000n : 0n;
        const amount = decoded.value.amountMsat ?? asked;
        recordFailed(this.#ledger, payer.name, hash, args.request, decoded.value.destination, amount, route.error);
        return route;
      }
      const amountMsat = route.value.amountMsat;
      const { invoice, feeMsat, stuck } = route.value;
      const now = this.clock.now();
      const height = Number(this.#ledger.state().height);
      this.#ledger
        .sql('UPDATE wallets SET balance_msat = balance_msat - ? WHERE name = ?')
        .run(amountMsat + feeMsat, payer.name);
      this.#ledger
        .sql(
          `INSERT OR REPLACE INTO payments (wallet, hash, request, destination, amount_msat, fee_msat, state,
             preimage, failure, stuck, htlc_expiry_height, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'in_flight', NULL, NULL, ?, ?, ?, ?)`,
        )
        .run(
          payer.name,
          hash,
          args.request,
          decoded.value.destination,
          amountMsat,
          feeMsat,
          stuck ? 1 : 0,
          height + decoded.value.minFinalCltvExpiry + ROUTE_CLTV,
          now,
          now,
        );
      if (!stuck) deliver(this.#ledger, invoice, payer.name, amountMsat, changed);
      return ok(toPaymentView(this.#ledger.payment(payer.name, hash)!));
    });
  }

  /** Would a payment go through (route, failures, fee cap, balance)? Moves no money, consumes no rule. */
  probeRoute(wallet: string, args: PayRequest): SimResult<{ feeMsat: bigint }> {
    if (!WALLET_NAME.test(wallet)) return fail('invalid_argument', 'bad wallet name');
    return this.#run(() => {
      const route = checkRoute(this.#ledger, wallet, args, true);
      return route.ok ? ok({ feeMsat: route.value.feeMsat }) : route;
    });
  }

  /** This wallet's payment of a hash (the latest attempt). */
  getPayment(wallet: string, hash: string): SimResult<PaymentView> {
    return this.#run(() => {
      const p = this.#ledger.payment(wallet, hash);
      return p ? ok(toPaymentView(p)) : fail('not_found', 'no payment of this hash from this wallet');
    });
  }

  payments(wallet: string): PaymentView[] {
    this.#assertOpen();
    this.tick();
    const rows = this.#ledger
      .sql('SELECT * FROM payments WHERE wallet = ? ORDER BY created_at, rowid')
      .all(wallet) as PaymentRow[];
    return rows.map(toPaymentView);
  }

  // ---- failure injection and time --------------------------------------------------------------

  /** Adds a failure rule (persisted); returns its id. Hash rules win over destination rules. */
  injectFailure(rule: FailureRule): SimResult<number> {
    if (!FAILURE_KINDS.includes(rule.failure)) return fail('invalid_argument', `failure: ${FAILURE_KINDS.join('|')}`);
    const targets = [rule.hash, rule.destination, rule.wallet].filter((t) => t !== undefined);
    if (targets.length !== 1) return fail('invalid_argument', 'give exactly one of hash, destination, wallet');
    if (rule.times !== undefined && !isWholeNumber(rule.times, 1, 1e6)) return fail('invalid_argument', 'bad times');
    if (rule.hash !== undefined && !HEX32.test(rule.hash)) return fail('invalid_argument', 'hash: 32 bytes hex');
    if (rule.destination !== undefined && !/^0[23][0-9a-f]{64}$/.test(rule.destination)) {
      return fail('invalid_argument', 'destination: a compressed public key in hex');
    }
    if (rule.wallet !== undefined && !WALLET_NAME.test(rule.wallet)) return fail('invalid_argument', 'bad wallet');
    return this.#run(() => {
      const destination = rule.wallet !== undefined ? this.#ledger.ensureWallet(rule.wallet).pubkey : rule.destination;
      const info = this.#ledger
        .sql('INSERT INTO failure_rules (hash, destination, failure, remaining) VALUES (?, ?, ?, ?)')
        .run(rule.hash ?? null, destination ?? null, rule.failure, rule.times ?? null);
      return ok(Number(info.lastInsertRowid));
    });
  }

  clearFailures(): void {
    if (this.#closed) return;
    this.#ledger.sql('DELETE FROM failure_rules').run();
  }

  /** Ends a stuck payment: `deliver` lets it reach the payee, `fail` fails it back with a refund. */
  releasePayment(wallet: string, hash: string, outcome: 'deliver' | 'fail'): SimResult<PaymentView> {
    return this.#run((changed) => {
      const p = this.#ledger.payment(wallet, hash);
      if (!p) return fail('not_found', 'no such payment');
      if (p.state !== 'in_flight' || p.stuck === 0n) return fail('invalid_state', 'payment is not stuck in flight');
      this.#ledger.sql('UPDATE payments SET stuck = 0 WHERE wallet = ? AND hash = ?').run(wallet, hash);
      const inv = this.#ledger.invoice(hash);
      const now = this.clock.now();
      if (outcome === 'fail' || !inv) {
        failInFlight(this.#ledger, wallet, hash, 'payment_failed: released as failed');
      } else {
        const refusal = payeeRefusal(inv, p.amount_msat, now);
        if (refusal) failInFlight(this.#ledger, wallet, hash, refusal);
        else deliver(this.#ledger, inv, wallet, p.amount_msat, changed);
      }
      return ok(toPaymentView(this.#ledger.payment(wallet, hash)!));
    });
  }

  /** Mines `blocks` blocks at once (on top of those the clock produces). */
  mineBlocks(blocks: number): SimResult<number> {
    if (!isWholeNumber(blocks, 1, 10_000)) return fail('invalid_argument', 'blocks: 1 to 10000');
    return this.#run(() => {
      this.#ledger.sql('UPDATE network SET height = height + ? WHERE id = 1').run(blocks);
      return ok(Number(this.#ledger.state().height));
    });
  }

  /** Moves an injectable clock forward and processes what that expires. */
  advanceClock(seconds: number): SimResult<number> {
    if (!this.clock.advance) return fail('invalid_state', 'the simulator runs on the real clock');
    if (!isWholeNumber(seconds, 1, 10 * 365 * 24 * 3600))
      return fail('invalid_argument', 'seconds: a positive integer');
    this.clock.advance(seconds);
    this.tick();
    return ok(this.clock.now());
  }

  /** Catches the block height up with the clock and applies every expiry that is due. */
  tick(): void {
    if (this.#closed) return;
    this.#run(() => ok(undefined));
  }

  /** The money check: minted must equal balances + in flight + fees, always. */
  audit(): AuditView {
    this.#assertOpen();
    this.tick();
    const s = this.#ledger.state();
    const sum = (sql: string) => ((this.#ledger.sql(sql).get() as { v: bigint | null }).v ?? 0n) as bigint;
    return {
      mintedMsat: s.minted_msat,
      balancesMsat: sum('SELECT SUM(balance_msat) AS v FROM wallets'),
      inFlightMsat: sum("SELECT SUM(amount_msat + fee_msat) AS v FROM payments WHERE state = 'in_flight'"),
      feesMsat: s.fees_msat,
      height: Number(s.height),
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#listeners.clear();
    this.#ledger.db.close();
  }

  // ---- internals -------------------------------------------------------------------------------

  /** One transaction: catch up with the clock, run `fn`, commit, then tell listeners what changed. */
  #run<T>(fn: (changed: Set<string>) => SimResult<T>): SimResult<T> {
    if (this.#closed) return fail('unavailable', 'the simulated network is closed');
    const changed = new Set<string>();
    const result = this.#transaction(() => {
      catchUp(this.#ledger, changed);
      return fn(changed);
    }) as SimResult<T>;
    const views = [...changed].map((hash) => this.#ledger.invoice(hash)).filter((r) => r !== undefined);
    if (views.length > 0 && this.#listeners.size > 0) {
      // Asynchronous like a real node's notifications: a listener never runs inside the caller's call.
      const listeners = [...this.#listeners];
      queueMicrotask(() => {
        for (const view of views.map(toInvoiceView)) {
          for (const listener of listeners) {
            try {
              listener(view);
            } catch {
              // a listener's bug must not undo or block a committed state change
            }
          }
        }
      });
    }
    return result;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the simulated network is closed');
  }

  #addInvoice(name: string, kind: 'regular' | 'hold', args: InvoiceArgs): SimResult<InvoiceView> {
    const problem = invoiceArgsProblem(name, kind, args);
    if (problem) return problem;
    return this.#run((changed) => insertInvoice(this.#ledger, changed, name, kind, args));
  }
}
