// A simulated Lightning network: named wallets with msat balances, real signed BOLT-11 invoices,
// hold invoices with expiry and CLTV, routing fees and injectable failures. The SQLite file is the
// only state: every operation runs in one transaction, so a killed process loses nothing committed
// and a reopened network is the same network. Money is conserved: the faucet is the only source,
// and minted = Σ balances + Σ in-flight (amount + fee) + routing fees collected, always.
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type Database from 'better-sqlite3';
import type { DecodedInvoice, LnErrorCode } from '../backend.ts';
import { decodeInvoice, encodeInvoice, MAX_DESCRIPTION_BYTES } from './bolt11.ts';
import { openStore } from './store.ts';

/** The simulator's errors: the backend's codes plus bad arguments from a caller. */
export type SimErrorCode = LnErrorCode | 'invalid_argument';
export type SimResult<T> = { ok: true; value: T } | { ok: false; error: { code: SimErrorCode; message: string } };
const ok = <T>(value: T): SimResult<T> => ({ ok: true, value });
const fail = (code: SimErrorCode, message: string): SimResult<never> => ({ ok: false, error: { code, message } });

/** Time in unix seconds. A clock with `advance(seconds)` is "injectable": tests and the admin API move it. */
export interface SimClock {
  now(): number;
  advance?(seconds: number): void;
}
const systemClock: SimClock = { now: () => Math.floor(Date.now() / 1000) };

export const BLOCK_INTERVAL_SECONDS = 600;
/** What the faucet mints at most per call, and the most any amount may be: 21M BTC. */
export const MAX_FUND_SATS = 100_000_000;
export const MAX_AMOUNT_SATS = 21_000_000 * 100_000_000;
const MAX_EXPIRY_SECONDS = 365 * 24 * 3600;
const MAX_CLTV_DELTA = 5000;
// As LND: a day. Shorter would fail the node's own buyer-invoice rule (expiry ≥ now + 3600 s).
const DEFAULT_INVOICE_EXPIRY = 86_400;
const DEFAULT_INVOICE_CLTV = 40;
/** CLTV the simulated route adds on top of the final hop's, like the hops of a real route. */
const ROUTE_CLTV = 40;
const WALLET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const HEX32 = /^[0-9a-f]{64}$/;

export type FailureKind = 'no_route' | 'payee_offline' | 'fee_too_high' | 'stuck';
export const FAILURE_KINDS: readonly FailureKind[] = ['no_route', 'payee_offline', 'fee_too_high', 'stuck'];

export interface FailureRule {
  failure: FailureKind;
  /** Matches payments of this hash... */
  hash?: string;
  /** ...or payments to this node pubkey... */
  destination?: string;
  /** ...or to this wallet's node (resolved to its pubkey when the rule is added). */
  wallet?: string;
  /** How many payments the rule hits before it disappears; default: until cleared. */
  times?: number;
}

export interface SimulatedNetworkOptions {
  /** SQLite file holding the whole network; default `:memory:` (lost on close). */
  path?: string;
  /** Default: the real clock. An object with `advance(seconds)` enables advanceClock and /admin/advance. */
  clock?: SimClock;
  /** Routing fee charged to the payer: base (msat) + ppm of the amount, rounded up to whole sats. */
  feeBaseMsat?: number;
  feePpm?: number;
  /** Blocks before an accepted HTLC's expiry at which the payee's node cancels it (LND: 12). */
  holdExpiryDelta?: number;
  /** Block height of a fresh network (ignored when the file already exists). */
  startHeight?: number;
  /** How often (real ms) expiries are checked without a caller; 0 disables the timer. Default 1000. */
  tickMs?: number;
}

export interface WalletView {
  name: string;
  pubkey: string;
  balanceMsat: bigint;
  /** Sent and not yet final: in-flight payments, including routing fees. */
  outgoingInFlightMsat: bigint;
}

export type SimInvoiceState = 'open' | 'accepted' | 'settled' | 'canceled';

export interface InvoiceView {
  hash: string;
  wallet: string;
  kind: 'regular' | 'hold';
  request: string;
  amountMsat: bigint | null;
  memo: string;
  /** A regular invoice goes open → settled (paid); a hold invoice open → accepted → settled | canceled. */
  state: SimInvoiceState;
  createdAt: number;
  expiresAt: number;
  cltvDelta: number;
  receivedMsat: bigint | null;
  htlcExpiryHeight: number | null;
}

export interface PaymentView {
  wallet: string;
  hash: string;
  request: string;
  destination: string;
  amountMsat: bigint;
  /** Routing fee: charged (held) while in flight, kept when succeeded, refunded when failed. */
  feeMsat: bigint;
  state: 'in_flight' | 'succeeded' | 'failed';
  preimage: string | null;
  failure: SimErrorCode | null;
  failureMessage: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditView {
  mintedMsat: bigint;
  balancesMsat: bigint;
  inFlightMsat: bigint;
  feesMsat: bigint;
  height: number;
}

export interface PayRequest {
  request: string;
  amountSats?: number;
  maxFeeSats: number;
}

interface InvoiceRow {
  hash: string;
  wallet: string;
  kind: 'regular' | 'hold';
  request: string;
  amount_msat: bigint | null;
  memo: string;
  preimage: string | null;
  created_at: bigint;
  expires_at: bigint;
  cltv_delta: bigint;
  state: SimInvoiceState;
  payer: string | null;
  received_msat: bigint | null;
  htlc_expiry_height: bigint | null;
}

interface PaymentRow {
  wallet: string;
  hash: string;
  request: string;
  destination: string;
  amount_msat: bigint;
  fee_msat: bigint;
  state: 'in_flight' | 'succeeded' | 'failed';
  preimage: string | null;
  failure: string | null;
  stuck: bigint;
  htlc_expiry_height: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

interface WalletRow {
  name: string;
  node_key: string;
  pubkey: string;
  balance_msat: bigint;
}

type InvoiceListener = (invoice: InvoiceView) => void;

const isWholeNumber = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;

const toInvoiceView = (r: InvoiceRow): InvoiceView => ({
  hash: r.hash,
  wallet: r.wallet,
  kind: r.kind,
  request: r.request,
  amountMsat: r.amount_msat,
  memo: r.memo,
  state: r.state,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  cltvDelta: Number(r.cltv_delta),
  receivedMsat: r.received_msat,
  htlcExpiryHeight: r.htlc_expiry_height === null ? null : Number(r.htlc_expiry_height),
});

const toPaymentView = (r: PaymentRow): PaymentView => {
  const [code, ...message] = (r.failure ?? '').split(': ');
  return {
    wallet: r.wallet,
    hash: r.hash,
    request: r.request,
    destination: r.destination,
    amountMsat: r.amount_msat,
    feeMsat: r.fee_msat,
    state: r.state,
    preimage: r.preimage,
    failure: r.failure === null ? null : (code as SimErrorCode),
    failureMessage: r.failure === null ? null : message.join(': '),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
};

export class SimulatedNetwork {
  readonly clock: SimClock;
  readonly feeBaseMsat: number;
  readonly feePpm: number;
  readonly holdExpiryDelta: number;
  readonly #db: Database.Database;
  readonly #listeners = new Set<InvoiceListener>();
  readonly #claimed = new Set<string>();
  readonly #statements = new Map<string, Database.Statement>();
  /** One wrapper made once (making one prepares BEGIN/COMMIT): runs its argument in a transaction. */
  readonly #transaction: (fn: () => unknown) => unknown;
  readonly #timer: NodeJS.Timeout | undefined;
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
    this.#db = openStore(options.path ?? ':memory:', { height: options.startHeight ?? 200, now: this.clock.now() });
    this.#transaction = this.#db.transaction((fn: () => unknown) => fn());
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
    return Number(this.#state().height);
  }

  // ---- wallets ---------------------------------------------------------------------------------

  /** The wallet's view, created (empty, with a fresh node key) on first use. */
  wallet(name: string): SimResult<WalletView> {
    if (!WALLET_NAME.test(name)) return fail('invalid_argument', 'wallet names are 1-64 of A-Z a-z 0-9 _ . -');
    return this.#run(() => ok(this.#walletView(this.#ensureWallet(name))));
  }

  wallets(): WalletView[] {
    this.#assertOpen();
    const rows = this.#sql('SELECT * FROM wallets ORDER BY name').all() as WalletRow[];
    return rows.map((w) => this.#walletView(w));
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
      const w = this.#ensureWallet(name);
      const msat = BigInt(amountSats) * 1000n;
      this.#sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?').run(msat, name);
      this.#sql('UPDATE network SET minted_msat = minted_msat + ? WHERE id = 1').run(msat);
      return ok(this.#walletView({ ...w, balance_msat: w.balance_msat + msat }));
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
      const row = this.#invoice(hash);
      if (!row || (wallet !== undefined && row.wallet !== wallet)) return fail('not_found', 'no such invoice');
      return ok(toInvoiceView(row));
    });
  }

  invoices(wallet: string): InvoiceView[] {
    this.#assertOpen();
    this.tick();
    const rows = this.#sql('SELECT * FROM invoices WHERE wallet = ? ORDER BY created_at, rowid').all(
      wallet,
    ) as InvoiceRow[];
    return rows.map(toInvoiceView);
  }

  /** Settles an accepted hold invoice with its preimage: the payee is credited, the payer's payment succeeds. */
  settleHoldInvoice(wallet: string, preimage: string): SimResult<void> {
    if (typeof preimage !== 'string' || !HEX32.test(preimage))
      return fail('invalid_argument', 'preimage: 32 bytes hex');
    const hash = bytesToHex(sha256(hexToBytes(preimage)));
    return this.#run((changed) => {
      const inv = this.#invoice(hash);
      if (!inv || inv.wallet !== wallet || inv.kind !== 'hold') return fail('not_found', 'no such hold invoice');
      if (inv.state === 'settled') return ok(undefined); // a retried settle is not a second settle
      if (inv.state !== 'accepted') return fail('invalid_state', `hold invoice is ${inv.state}, not accepted`);
      this.#complete(inv, preimage);
      changed.add(hash);
      return ok(undefined);
    });
  }

  /** Cancels an open or accepted hold invoice; an accepted one's payer is refunded in full (fee included). */
  cancelHoldInvoice(wallet: string, hash: string): SimResult<void> {
    return this.#run((changed) => {
      const inv = this.#invoice(hash);
      if (!inv || inv.wallet !== wallet || inv.kind !== 'hold') return fail('not_found', 'no such hold invoice');
      if (inv.state === 'canceled') return ok(undefined);
      if (inv.state === 'settled') return fail('invalid_state', 'hold invoice is already settled');
      this.#cancelInvoice(inv, 'payment_failed: canceled by the payee');
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
      const existing = this.#payment(wallet, hash);
      if (existing && existing.state !== 'failed') return ok(toPaymentView(existing));
      const route = this.#route(wallet, args, false);
      const payer = this.#ensureWallet(wallet);
      if (!route.ok) {
        if (route.error.code === 'invalid_argument' || route.error.code === 'invalid_invoice') return route;
        const asked = isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS) ? BigInt(args.amountSats) * 1000n : 0n;
        const amount = decoded.value.amountMsat ?? asked;
        this.#recordFailed(payer.name, hash, args.request, decoded.value.destination, amount, route.error);
        return route;
      }
      const amountMsat = route.value.amountMsat;
      const { invoice, feeMsat, stuck } = route.value;
      const now = this.clock.now();
      const height = Number(this.#state().height);
      this.#sql('UPDATE wallets SET balance_msat = balance_msat - ? WHERE name = ?').run(
        amountMsat + feeMsat,
        payer.name,
      );
      this.#sql(
        `INSERT OR REPLACE INTO payments (wallet, hash, request, destination, amount_msat, fee_msat, state,
             preimage, failure, stuck, htlc_expiry_height, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'in_flight', NULL, NULL, ?, ?, ?, ?)`,
      ).run(
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
      if (!stuck) this.#deliver(invoice, payer.name, amountMsat, changed);
      return ok(toPaymentView(this.#payment(payer.name, hash)!));
    });
  }

  /** Would a payment go through (route, failures, fee cap, balance)? Moves no money, consumes no rule. */
  probeRoute(wallet: string, args: PayRequest): SimResult<{ feeMsat: bigint }> {
    if (!WALLET_NAME.test(wallet)) return fail('invalid_argument', 'bad wallet name');
    return this.#run(() => {
      const route = this.#route(wallet, args, true);
      return route.ok ? ok({ feeMsat: route.value.feeMsat }) : route;
    });
  }

  /** This wallet's payment of a hash (the latest attempt). */
  getPayment(wallet: string, hash: string): SimResult<PaymentView> {
    return this.#run(() => {
      const p = this.#payment(wallet, hash);
      return p ? ok(toPaymentView(p)) : fail('not_found', 'no payment of this hash from this wallet');
    });
  }

  payments(wallet: string): PaymentView[] {
    this.#assertOpen();
    this.tick();
    const rows = this.#sql('SELECT * FROM payments WHERE wallet = ? ORDER BY created_at, rowid').all(
      wallet,
    ) as PaymentRow[];
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
      const destination = rule.wallet !== undefined ? this.#ensureWallet(rule.wallet).pubkey : rule.destination;
      const info = this.#sql(
        'INSERT INTO failure_rules (hash, destination, failure, remaining) VALUES (?, ?, ?, ?)',
      ).run(rule.hash ?? null, destination ?? null, rule.failure, rule.times ?? null);
      return ok(Number(info.lastInsertRowid));
    });
  }

  clearFailures(): void {
    if (this.#closed) return;
    this.#sql('DELETE FROM failure_rules').run();
  }

  /** Ends a stuck payment: `deliver` lets it reach the payee, `fail` fails it back with a refund. */
  releasePayment(wallet: string, hash: string, outcome: 'deliver' | 'fail'): SimResult<PaymentView> {
    return this.#run((changed) => {
      const p = this.#payment(wallet, hash);
      if (!p) return fail('not_found', 'no such payment');
      if (p.state !== 'in_flight' || p.stuck === 0n) return fail('invalid_state', 'payment is not stuck in flight');
      this.#sql('UPDATE payments SET stuck = 0 WHERE wallet = ? AND hash = ?').run(wallet, hash);
      const inv = this.#invoice(hash);
      const now = this.clock.now();
      if (outcome === 'fail' || !inv) {
        this.#failInFlight(wallet, hash, 'payment_failed: released as failed');
      } else {
        const refusal = this.#refusal(inv, p.amount_msat, now);
        if (refusal) this.#failInFlight(wallet, hash, refusal);
        else this.#deliver(inv, wallet, p.amount_msat, changed);
      }
      return ok(toPaymentView(this.#payment(wallet, hash)!));
    });
  }

  /** Mines `blocks` blocks at once (on top of those the clock produces). */
  mineBlocks(blocks: number): SimResult<number> {
    if (!isWholeNumber(blocks, 1, 10_000)) return fail('invalid_argument', 'blocks: 1 to 10000');
    return this.#run(() => {
      this.#sql('UPDATE network SET height = height + ? WHERE id = 1').run(blocks);
      return ok(Number(this.#state().height));
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
    const s = this.#state();
    const sum = (sql: string) => ((this.#sql(sql).get() as { v: bigint | null }).v ?? 0n) as bigint;
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
    this.#db.close();
  }

  // ---- internals -------------------------------------------------------------------------------

  /** One transaction: catch up with the clock, run `fn`, commit, then tell listeners what changed. */
  #run<T>(fn: (changed: Set<string>) => SimResult<T>): SimResult<T> {
    if (this.#closed) return fail('unavailable', 'the simulated network is closed');
    const changed = new Set<string>();
    const result = this.#transaction(() => {
      this.#catchUp(changed);
      return fn(changed);
    }) as SimResult<T>;
    const views = [...changed].map((hash) => this.#invoice(hash)).filter((r) => r !== undefined);
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

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
  #sql(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #state(): { height: bigint; clock_anchor: bigint; minted_msat: bigint; fees_msat: bigint } {
    return this.#sql('SELECT * FROM network WHERE id = 1').get() as {
      height: bigint;
      clock_anchor: bigint;
      minted_msat: bigint;
      fees_msat: bigint;
    };
  }

  #catchUp(changed: Set<string>): void {
    const now = this.clock.now();
    const s = this.#state();
    const blocks = Math.floor((now - Number(s.clock_anchor)) / BLOCK_INTERVAL_SECONDS);
    if (blocks > 0) {
      this.#sql('UPDATE network SET height = height + ?, clock_anchor = clock_anchor + ? WHERE id = 1').run(
        blocks,
        blocks * BLOCK_INTERVAL_SECONDS,
      );
    }
    const height = Number(this.#state().height);
    // An open invoice past its expiry can no longer be paid: LND marks it canceled.
    const expired = this.#sql("SELECT * FROM invoices WHERE state = 'open' AND expires_at <= ?").all(
      now,
    ) as InvoiceRow[];
    for (const inv of expired) {
      this.#setInvoiceState(inv.hash, 'canceled');
      changed.add(inv.hash);
    }
    // Like LND, cancel an accepted hold invoice holdExpiryDelta blocks before its HTLC would expire.
    const nearExpiry = this.#sql("SELECT * FROM invoices WHERE state = 'accepted' AND htlc_expiry_height - ? <= ?").all(
      this.holdExpiryDelta,
      height,
    ) as InvoiceRow[];
    for (const inv of nearExpiry) {
      this.#cancelInvoice(inv, 'payment_failed: hold invoice canceled near its CLTV expiry');
      changed.add(inv.hash);
    }
    // A payment stuck in flight fails back when its HTLC times out.
    const timedOut = this.#sql(
      "SELECT * FROM payments WHERE state = 'in_flight' AND stuck = 1 AND htlc_expiry_height <= ?",
    ).all(height) as PaymentRow[];
    for (const p of timedOut) this.#failInFlight(p.wallet, p.hash, 'timeout: HTLC timed out in flight');
  }

  #ensureWallet(name: string): WalletRow {
    const row = this.#sql('SELECT * FROM wallets WHERE name = ?').get(name) as WalletRow | undefined;
    if (row) return row;
    const key = secp256k1.utils.randomSecretKey();
    const created: WalletRow = {
      name,
      node_key: bytesToHex(key),
      pubkey: bytesToHex(secp256k1.getPublicKey(key, true)),
      balance_msat: 0n,
    };
    this.#sql('INSERT INTO wallets (name, node_key, pubkey, balance_msat, created_at) VALUES (?, ?, ?, 0, ?)').run(
      name,
      created.node_key,
      created.pubkey,
      this.clock.now(),
    );
    return created;
  }

  #walletView(w: WalletRow): WalletView {
    const fresh = this.#sql('SELECT balance_msat FROM wallets WHERE name = ?').get(w.name) as
      | { balance_msat: bigint }
      | undefined;
    const inFlight = this.#sql(
      "SELECT SUM(amount_msat + fee_msat) AS v FROM payments WHERE wallet = ? AND state = 'in_flight'",
    ).get(w.name) as { v: bigint | null };
    return {
      name: w.name,
      pubkey: w.pubkey,
      balanceMsat: fresh?.balance_msat ?? w.balance_msat,
      outgoingInFlightMsat: inFlight.v ?? 0n,
    };
  }

  #invoice(hash: string): InvoiceRow | undefined {
    return this.#sql('SELECT * FROM invoices WHERE hash = ?').get(hash) as InvoiceRow | undefined;
  }

  #payment(wallet: string, hash: string): PaymentRow | undefined {
    return this.#sql('SELECT * FROM payments WHERE wallet = ? AND hash = ?').get(wallet, hash) as
      | PaymentRow
      | undefined;
  }

  #addInvoice(
    name: string,
    kind: 'regular' | 'hold',
    args: {
      hash: string;
      preimage: string | null;
      amountSats: number | null;
      memo: string;
      expirySeconds: number;
      cltvDelta: number;
    },
  ): SimResult<InvoiceView> {
    if (!WALLET_NAME.test(name)) return fail('invalid_argument', 'bad wallet name');
    if (typeof args.hash !== 'string' || !HEX32.test(args.hash)) return fail('invalid_argument', 'hash: 32 bytes hex');
    if (args.amountSats !== null && !isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS)) {
      return fail('invalid_argument', 'amount must be a positive whole number of sats');
    }
    if (kind === 'hold' && args.amountSats === null) return fail('invalid_argument', 'a hold invoice needs an amount');
    if (typeof args.memo !== 'string' || Buffer.byteLength(args.memo, 'utf8') > MAX_DESCRIPTION_BYTES) {
      return fail('invalid_argument', `memo: text of at most ${MAX_DESCRIPTION_BYTES} bytes`);
    }
    if (!isWholeNumber(args.expirySeconds, 1, MAX_EXPIRY_SECONDS)) return fail('invalid_argument', 'bad expiry');
    if (!isWholeNumber(args.cltvDelta, 1, MAX_CLTV_DELTA)) return fail('invalid_argument', 'bad cltv delta');
    return this.#run((changed) => {
      if (this.#invoice(args.hash)) return fail('already_exists', 'an invoice for this hash exists');
      const w = this.#ensureWallet(name);
      const now = this.clock.now();
      const amountMsat = args.amountSats === null ? null : BigInt(args.amountSats) * 1000n;
      const request = encodeInvoice({
        nodeKey: hexToBytes(w.node_key),
        network: 'regtest',
        hash: args.hash,
        amountMsat,
        description: args.memo,
        createdAt: now,
        expirySeconds: args.expirySeconds,
        cltvDelta: args.cltvDelta,
        paymentSecret: bytesToHex(randomBytes(32)),
      });
      this.#sql(
        `INSERT INTO invoices (hash, wallet, kind, request, amount_msat, memo, preimage, created_at, expires_at,
             cltv_delta, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
      ).run(
        args.hash,
        name,
        kind,
        request,
        amountMsat,
        args.memo,
        args.preimage,
        now,
        now + args.expirySeconds,
        args.cltvDelta,
        now,
      );
      changed.add(args.hash);
      return ok(toInvoiceView(this.#invoice(args.hash)!));
    });
  }

  /**
   * Everything a payment needs checked before money moves, in the order a real node meets it:
   * the request, the route (injected failures, unknown node), the payee's invoice, the fee, the balance.
   */
  #route(
    wallet: string,
    args: PayRequest,
    probing: boolean,
  ): SimResult<{ invoice: InvoiceRow; amountMsat: bigint; feeMsat: bigint; stuck: boolean }> {
    const decoded = decodeInvoice(args.request);
    if (!decoded.ok) return decoded;
    const d = decoded.value;
    if (d.network !== 'regtest') return fail('invalid_invoice', `invoice is for ${d.network}, this network is regtest`);
    if (!isWholeNumber(args.maxFeeSats, 0, MAX_AMOUNT_SATS)) return fail('invalid_argument', 'bad max fee');
    let amountMsat: bigint;
    if (d.amountMsat === null) {
      if (args.amountSats === undefined) return fail('invalid_invoice', 'amountless invoice: give an amount');
      if (!isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS)) return fail('invalid_argument', 'bad amount');
      amountMsat = BigInt(args.amountSats) * 1000n;
    } else {
      amountMsat = d.amountMsat;
      if (args.amountSats !== undefined && BigInt(args.amountSats) * 1000n !== amountMsat) {
        return fail('invalid_invoice', 'amount does not match the invoice');
      }
    }
    const now = this.clock.now();
    if (amountMsat > BigInt(MAX_AMOUNT_SATS) * 1000n) return fail('invalid_invoice', 'amount exceeds all bitcoin');
    if (d.createdAt + d.expirySeconds <= now) return fail('expired', 'invoice expired');
    const failure = this.#matchFailure(d.hash, d.destination, !probing);
    if (failure === 'no_route') return fail('no_route', 'no route to the destination (injected)');
    if (failure === 'payee_offline') return fail('payee_offline', 'the payee is offline (injected)');
    if (failure === 'fee_too_high') return fail('fee_too_high', 'every route costs more than the fee limit (injected)');
    if (failure === 'stuck' && probing) return fail('timeout', 'the probe got no answer (injected stuck route)');
    const payee = this.#sql('SELECT name FROM wallets WHERE pubkey = ?').get(d.destination) as
      | { name: string }
      | undefined;
    if (!payee) return fail('no_route', 'no route to the destination: not a node of the simulated network');
    if (payee.name === wallet) return fail('payment_failed', 'a wallet cannot pay its own invoice');
    const invoice = this.#invoice(d.hash);
    if (!invoice || invoice.wallet !== payee.name)
      return fail('payment_failed', 'incorrect or unknown payment details');
    const refusal = this.#refusal(invoice, amountMsat, now);
    if (refusal) {
      const [code, ...message] = refusal.split(': ');
      return fail(code as SimErrorCode, message.join(': '));
    }
    const feeMsat = this.#fee(amountMsat);
    if (feeMsat > BigInt(args.maxFeeSats) * 1000n) {
      return fail('fee_too_high', `routing fee ${feeMsat / 1000n} sats exceeds the limit of ${args.maxFeeSats}`);
    }
    const payer = this.#sql('SELECT balance_msat FROM wallets WHERE name = ?').get(wallet) as
      | { balance_msat: bigint }
      | undefined;
    if ((payer?.balance_msat ?? 0n) < amountMsat + feeMsat) {
      return fail('payment_failed', 'insufficient balance (simulated sats: use the faucet)');
    }
    return ok({ invoice, amountMsat, feeMsat, stuck: failure === 'stuck' });
  }

  /** Why the payee would refuse this HTLC now ("code: message"), or null when it accepts it. */
  #refusal(invoice: InvoiceRow, amountMsat: bigint, now: number): string | null {
    if (invoice.state === 'canceled') return 'payment_failed: invoice canceled';
    if (invoice.state !== 'open') return 'payment_failed: invoice already paid';
    if (Number(invoice.expires_at) <= now) return 'expired: invoice expired';
    if (invoice.amount_msat !== null && amountMsat < invoice.amount_msat) return 'payment_failed: amount too low';
    return null;
  }

  /** The first matching rule (hash before destination); consumes one use when `consume`. */
  #matchFailure(hash: string, destination: string, consume: boolean): FailureKind | null {
    const rule = this.#sql(
      `SELECT id, failure, remaining FROM failure_rules WHERE hash = ? OR destination = ?
         ORDER BY (hash IS NULL), id LIMIT 1`,
    ).get(hash, destination) as { id: bigint; failure: FailureKind; remaining: bigint | null } | undefined;
    if (!rule) return null;
    if (consume && rule.remaining !== null) {
      if (rule.remaining <= 1n) this.#sql('DELETE FROM failure_rules WHERE id = ?').run(rule.id);
      else this.#sql('UPDATE failure_rules SET remaining = remaining - 1 WHERE id = ?').run(rule.id);
    }
    return rule.failure;
  }

  /** base + ppm, rounded up to whole sats so a reported fee in sats is exact. */
  #fee(amountMsat: bigint): bigint {
    const msat = BigInt(this.feeBaseMsat) + (amountMsat * BigInt(this.feePpm) + 999_999n) / 1_000_000n;
    return ((msat + 999n) / 1000n) * 1000n;
  }

  /** The HTLC reaches the payee: a regular invoice is paid at once, a hold invoice is accepted. */
  #deliver(invoice: InvoiceRow, payer: string, amountMsat: bigint, changed: Set<string>): void {
    const now = this.clock.now();
    const height = Number(this.#state().height);
    if (invoice.kind === 'regular') {
      this.#sql(
        "UPDATE invoices SET state = 'settled', payer = ?, received_msat = ?, updated_at = ? WHERE hash = ?",
      ).run(payer, amountMsat, now, invoice.hash);
      this.#complete({ ...invoice, state: 'accepted', payer, received_msat: amountMsat }, invoice.preimage!);
    } else {
      const expiry = height + Number(invoice.cltv_delta);
      this.#sql(
        `UPDATE invoices SET state = 'accepted', payer = ?, received_msat = ?, htlc_expiry_height = ?,
             updated_at = ? WHERE hash = ?`,
      ).run(payer, amountMsat, expiry, now, invoice.hash);
      this.#sql('UPDATE payments SET htlc_expiry_height = ?, updated_at = ? WHERE wallet = ? AND hash = ?').run(
        expiry,
        now,
        payer,
        invoice.hash,
      );
    }
    changed.add(invoice.hash);
  }

  /** Settles: payee credited, routing fee collected, payer's payment succeeded with the preimage. */
  #complete(invoice: InvoiceRow, preimage: string): void {
    const now = this.clock.now();
    const payment = this.#payment(invoice.payer!, invoice.hash)!;
    this.#sql("UPDATE invoices SET state = 'settled', preimage = ?, updated_at = ? WHERE hash = ?").run(
      preimage,
      now,
      invoice.hash,
    );
    this.#sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?').run(
      payment.amount_msat,
      invoice.wallet,
    );
    this.#sql('UPDATE network SET fees_msat = fees_msat + ? WHERE id = 1').run(payment.fee_msat);
    this.#sql(
      "UPDATE payments SET state = 'succeeded', preimage = ?, updated_at = ? WHERE wallet = ? AND hash = ?",
    ).run(preimage, now, payment.wallet, payment.hash);
  }

  #cancelInvoice(invoice: InvoiceRow, reason: string): void {
    if (invoice.state === 'accepted' && invoice.payer) this.#failInFlight(invoice.payer, invoice.hash, reason);
    this.#setInvoiceState(invoice.hash, 'canceled');
  }

  #setInvoiceState(hash: string, state: SimInvoiceState): void {
    this.#sql('UPDATE invoices SET state = ?, updated_at = ? WHERE hash = ?').run(state, this.clock.now(), hash);
  }

  /** Fails an in-flight payment back: the payer gets amount and fee back. */
  #failInFlight(wallet: string, hash: string, failure: string): void {
    const p = this.#payment(wallet, hash);
    if (p?.state !== 'in_flight') return;
    this.#sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?').run(
      p.amount_msat + p.fee_msat,
      wallet,
    );
    this.#sql(
      "UPDATE payments SET state = 'failed', failure = ?, fee_msat = 0, stuck = 0, updated_at = ? WHERE wallet = ? AND hash = ?",
    ).run(failure, this.clock.now(), wallet, hash);
  }

  #recordFailed(
    wallet: string,
    hash: string,
    request: string,
    destination: string,
    amountMsat: bigint,
    error: { code: SimErrorCode; message: string },
  ): void {
    const now = this.clock.now();
    this.#sql(
      `INSERT OR REPLACE INTO payments (wallet, hash, request, destination, amount_msat, fee_msat, state, preimage,
           failure, stuck, htlc_expiry_height, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, 'failed', NULL, ?, 0, NULL, ?, ?)`,
    ).run(wallet, hash, request, destination, amountMsat, `${error.code}: ${error.message}`, now, now);
  }
}
