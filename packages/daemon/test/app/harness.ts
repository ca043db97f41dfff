// A node's app core for handler-level flow tests: a real SQLite file, the simulated Lightning network
// (its own SQLite file) on a hand-moved clock, the real escrow and handlers, and an outbox that keeps
// what it would have sent. `restart()` closes both files and opens them again, as after a crash.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action, Message, MessageKind, Payload, SmallOrder } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import type { AppContext, Logger } from '../../src/app/context.ts';
import { type DispatchOutcome, dispatch } from '../../src/app/dispatch.ts';
import { createEscrow } from '../../src/app/escrow.ts';
import { handlers } from '../../src/app/handlers.ts';
import { createOutbox, type Outbox, type Recipient } from '../../src/app/outbox.ts';
import type { Request } from '../../src/app/request.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseSettings, type Settings } from '../../src/config/index.ts';
import type { DisputeRow } from '../../src/db/disputes.ts';
import { type Db, openDatabase } from '../../src/db/open.ts';
import { getOrder, type OrderRow } from '../../src/db/orders.ts';
import type { LightningEscrow } from '../../src/escrow/escrow.ts';
import { checkEscrowInvariant } from '../../src/escrow/invariant.ts';
import type { LnurlResolver } from '../../src/escrow/lnurl.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { createSimulatedBackend } from '../../src/lightning/simulated/backend.ts';
import { SimulatedNetwork } from '../../src/lightning/simulated/network.ts';

export const NODE_WALLET = 'mostro';
/** Fiat per BTC: 100 USD = 200 000 sats. */
export const USD_PRICE = 50_000;

export interface Sent {
  to: string;
  action: Action;
  id: string | undefined;
  payload: Payload | null;
  tradeIndex: number | null;
  requestId: bigint | null;
}

export interface User {
  name: string;
  identity: string;
  trade: string;
  nextIndex: number;
  fullPrivacy: boolean;
}

export interface HarnessOptions {
  settings?: Record<string, Record<string, unknown>>;
  /** Wraps the simulated backend (failure injection, crash points). */
  wrapLightning?: (backend: LightningBackend) => LightningBackend;
  resolver?: LnurlResolver;
  /** Price reported as stale. */
  stalePrices?: boolean;
  /** Start of the hand-moved clock (unix seconds); real Lightning nodes need the real time. */
  clockStart?: number;
  /** Use (and keep) this directory for both SQLite files, e.g. one a killed process left behind. */
  dir?: string;
  /**
   * Messages and published events are also written as rows of the node's real outbox table (in the
   * caller's transaction, as in the node), so a test can see what a state change committed with.
   */
  durableOutbox?: boolean;
}

const hex32 = () => randomBytes(32).toString('hex');

export function testSettings(overrides: Record<string, Record<string, unknown>> = {}): Settings {
  const doc: Record<string, Record<string, unknown>> = {
    nostr: { nsec_privkey: hex32(), relays: [] },
    relay: { embedded: true },
    lightning: { backend: 'simulated' },
    mostro: { fee: 0.006 },
    price: { sources: [{ kind: 'fixed', prices: { USD: USD_PRICE } }] },
  };
  for (const [section, values] of Object.entries(overrides)) doc[section] = { ...doc[section], ...values };
  const r = parseSettings(doc);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.settings;
}

/** A new-order payload: 100 USD at the market price, bank transfer, unless `order` says otherwise. */
export function orderPayload(order: Partial<SmallOrder> & { kind: 'buy' | 'sell' }): SmallOrder {
  return {
    status: 'pending',
    amount: 0,
    fiat_code: 'USD',
    min_amount: null,
    max_amount: null,
    fiat_amount: 100,
    payment_method: 'bank transfer',
    premium: 0,
    created_at: null,
    expires_at: null,
    ...order,
  };
}

export class Harness {
  readonly dir: string;
  readonly clock: ManualClock;
  readonly settings: Settings;
  readonly sent: Sent[] = [];
  readonly publishedOrders: OrderRow[] = [];
  readonly publishedDisputes: DisputeRow[] = [];
  /** The node's own signed events queued in the outbox (e.g. kind 8383). */
  readonly events: NostrEvent[] = [];
  readonly errors: unknown[] = [];
  net!: SimulatedNetwork;
  db!: Db;
  ctx!: AppContext;
  escrow!: LightningEscrow;
  backend!: LightningBackend;
  /** Set by simulateCrash: the "process" is dead, nothing it does any more reaches the outside. */
  crashed = false;

  constructor(readonly options: HarnessOptions = {}) {
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'mostro-escrow-'));
    this.clock = new ManualClock(options.clockStart ?? 1_700_000_000);
    this.settings = testSettings(options.settings);
    this.#open();
  }

  #open(): void {
    this.net = new SimulatedNetwork({ path: join(this.dir, 'sim.db'), clock: this.clock, tickMs: 0 });
    const sim = createSimulatedBackend(this.net, NODE_WALLET);
    this.backend = this.options.wrapLightning ? this.options.wrapLightning(sim) : sim;
    this.db = openDatabase(join(this.dir, 'mostro.db')).db;
    const durable = this.options.durableOutbox
      ? createOutbox({ db: this.db, clock: this.clock, wake() {}, drain: async () => {} })
      : null;
    // As the node's publisher: the row is written before returning, a failure throws at once.
    const published = (kind: number, d: string) => {
      durable?.event({
        id: hex32(),
        pubkey: hex32(),
        created_at: this.clock.now(),
        kind,
        tags: [['d', d]],
        content: '',
        sig: '',
      });
      return Promise.resolve();
    };
    const outbox: Outbox = {
      send: (to: Recipient, m: Message) => {
        if (this.crashed) return Promise.resolve();
        durable?.send(to, m);
        this.sent.push({
          to: to.pubkey,
          action: m.kind.action,
          id: m.kind.id,
          payload: m.kind.payload,
          tradeIndex: m.kind.trade_index,
          requestId: m.kind.request_id,
        });
        return Promise.resolve();
      },
      event: (event: NostrEvent) => {
        if (!this.crashed) this.events.push(event);
      },
      drain: async () => {},
    };
    const log: Logger = {
      info() {},
      debug() {},
      warn() {},
      error: (line, detail) => this.errors.push({ line, detail }),
    };
    const ctx = {
      db: this.db,
      settings: this.settings,
      clock: this.clock,
      nodePubkey: hex32(),
      outbox,
      publish: {
        order: (o: OrderRow) => {
          this.publishedOrders.push(o);
          return published(38383, o.id);
        },
        dispute: (d: DisputeRow) => {
          this.publishedDisputes.push(d);
          return published(38386, d.id);
        },
        rating: async () => {},
      },
      quote: () =>
        this.options.stalePrices
          ? { ok: false as const, reason: 'price_too_stale' as const }
          : { ok: true as const, price: USD_PRICE },
      lightning: this.backend,
      log,
    } as Omit<AppContext, 'escrow'> as AppContext;
    this.ctx = ctx;
    this.escrow = createEscrow(ctx, this.options.resolver ? { resolver: this.options.resolver } : {});
  }

  /** The node process dies now: its database handle is gone, its subscriptions and messages too. */
  simulateCrash(): void {
    this.crashed = true;
    this.escrow.close();
    if (this.db.open) this.db.close();
  }

  /** Closes the node's database and the network's file without any cleanup, then opens them again. */
  async restart(): Promise<void> {
    this.escrow.close();
    if (this.db.open) this.db.close();
    this.net.close();
    this.crashed = false;
    this.#open();
  }

  close(): void {
    this.escrow.close();
    if (this.db.open) this.db.close();
    this.net.close();
    if (!this.options.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  user(name: string, options: { fullPrivacy?: boolean } = {}): User {
    const trade = hex32();
    return {
      name,
      identity: options.fullPrivacy ? trade : hex32(),
      trade,
      nextIndex: 1,
      fullPrivacy: options.fullPrivacy ?? false,
    };
  }

  /** A fresh trade key for the user's next trade (index + 1). */
  rotate(user: User): void {
    user.trade = hex32();
    if (user.fullPrivacy) user.identity = user.trade;
    user.nextIndex++;
  }

  request(
    user: User,
    action: Action,
    fields: { id?: string; payload?: Payload | null; tradeIndex?: number | null } = {},
  ): Request {
    const message: MessageKind = {
      version: 2,
      request_id: 7n,
      trade_index: fields.tradeIndex === undefined ? (user.fullPrivacy ? null : user.nextIndex) : fields.tradeIndex,
      action,
      payload: fields.payload ?? null,
      ...(fields.id ? { id: fields.id } : {}),
    };
    return {
      eventId: hex32(),
      transport: 'nip44',
      wrapper: 'order',
      message,
      sender: user.trade,
      identity: user.identity,
      fullPrivacy: user.fullPrivacy,
      tradeSignature: user.fullPrivacy ? null : 'sig',
      createdAt: this.clock.now(),
    };
  }

  /** Dispatches like the node does, then lets Lightning notifications and escrow work finish. */
  async send(
    user: User,
    action: Action,
    fields: { id?: string; payload?: Payload | null; tradeIndex?: number | null } = {},
  ): Promise<DispatchOutcome> {
    const outcome = await dispatch(this.ctx, handlers, this.request(user, action, fields));
    await this.settle();
    return outcome;
  }

  /** Waits until no notification or escrow work is pending. */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      await this.escrow.idle();
    }
  }

  order(id: string): OrderRow {
    const o = getOrder(this.db, id);
    assert.ok(o, `order ${id}`);
    return o;
  }

  /** Messages sent to `user`'s current trade key (optionally only since index `from`). */
  to(user: User | string, from = 0): Sent[] {
    const key = typeof user === 'string' ? user : user.trade;
    return this.sent.slice(from).filter((m) => m.to === key);
  }

  actionsTo(user: User | string, from = 0): string[] {
    return this.to(user, from).map((m) => m.action);
  }

  mark(): number {
    return this.sent.length;
  }

  /** The last message with this action to the user. */
  last(user: User | string, action: Action): Sent {
    const m = this.to(user)
      .filter((s) => s.action === action)
      .at(-1);
    assert.ok(m, `no ${action} to ${typeof user === 'string' ? user : user.name}`);
    return m;
  }

  /** The reason of the last cant-do to the user. */
  cantDo(user: User | string): string | null {
    const m = this.last(user, 'cant-do');
    assert.ok(m.payload && 'cant_do' in m.payload);
    return m.payload.cant_do;
  }

  /** A maker's order through the real new-order handler; returns its id. */
  async newOrder(maker: User, order: Partial<SmallOrder> & { kind: 'buy' | 'sell' }): Promise<string> {
    const small = orderPayload(order);
    const before = this.mark();
    const outcome = await this.send(maker, 'new-order', { payload: { order: small } });
    assert.equal(outcome, 'handled');
    const ack = this.to(maker, before).find((m) => m.action === 'new-order');
    assert.ok(ack?.id);
    return ack.id;
  }

  /** A payout invoice of the buyer's wallet (amountless unless `amountSats`). */
  buyerInvoice(wallet = 'buyer', amountSats: number | null = null): string {
    const r = this.net.createInvoice(wallet, { amountSats, expirySeconds: 86_400 });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value.request;
  }

  /** The hold invoice the seller was last asked to pay. */
  holdRequest(seller: User): string {
    const m = this.last(seller, 'pay-invoice');
    assert.ok(m.payload && 'payment_request' in m.payload);
    return m.payload.payment_request[1];
  }

  /** The seller's wallet pays the hold invoice; waits for the node to react. */
  async sellerPays(seller: User, wallet = 'seller'): Promise<void> {
    const funded = this.net.fund(wallet, 10_000_000);
    assert.ok(funded.ok);
    const r = this.net.pay(wallet, { request: this.holdRequest(seller), maxFeeSats: 10_000 });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    await this.settle();
  }

  /** The state the Lightning backend reports for the hold invoice with this hash. */
  async holdState(hash: string | null): Promise<string> {
    assert.ok(hash);
    const r = await this.backend.getHoldInvoice(hash);
    assert.ok(r.ok);
    return r.value.state;
  }

  balanceSats(wallet: string): number {
    const w = this.net.wallet(wallet);
    assert.ok(w.ok);
    return Number(w.value.balanceMsat / 1000n);
  }

  async assertInvariant(): Promise<void> {
    const violations = await checkEscrowInvariant(this.ctx);
    assert.deepEqual(violations, []);
  }

  assertNoErrors(): void {
    assert.deepEqual(this.errors, []);
  }
}
