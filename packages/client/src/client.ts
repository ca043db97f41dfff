// MostroClient: one session talking to one node through relays. The class holds the session, the
// relays and the node, and wires the concerns in client/: discovery (what the node publishes),
// request (send from the right key, wait for the reply), inbox (apply node messages to trades),
// trade-actions, follow (watch and sync trades), restore (session and identity on the node).
// Chat is chat/chat.ts (TradeChat); solver actions are admin.ts (AdminClient).
import type { Message, NostrEvent, SmallOrder, Transport, UserInfo } from '@mostro/protocol';
import type { ClientCore, Reply, RequestOptions, WaitObserver } from './client/core.ts';
import { NodeDirectory } from './client/discovery.ts';
import { checkExpired, syncTrades, watchTrades } from './client/follow.ts';
import { applyIncoming } from './client/inbox.ts';
import { type ExportedReputation, exportReputation, importReputation } from './client/reputation.ts';
import { dmFilters, openFromNode, sendRequest } from './client/request.ts';
import {
  lastTradeIndex,
  ordersInfo,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreResult,
  reputation,
  restoreTrades,
} from './client/restore.ts';
import type { NewOrderParams, TakeParams } from './client/trade-actions.ts';
import * as actions from './client/trade-actions.ts';
import { ClientError } from './errors.ts';
import type { Incoming, KeyPair } from './net/envelope.ts';
import type { Filter, Relays, Subscription } from './net/relays.ts';
import type { NodeInfo } from './node/info.ts';
import type { OrderBookEntry } from './orderbook/index.ts';
import type { Session } from './session/session.ts';
import type { PrivacyMode } from './session/types.ts';
import type { TradeStep, TradeTimers } from './trade/machine.ts';
import type { TradeRecord } from './trade/types.ts';

export type { NewOrderParams, Reply, RestoreOptions, RestoreProgress, RestoreResult, TakeParams, WaitObserver };

export interface MostroClientOptions {
  session: Session;
  pool: Relays;
  /** Node pubkey, lowercase hex. */
  node: string;
  /** Force a transport instead of reading the node's info. */
  transport?: Transport | null;
  /** How long to wait for a reply (default 15 s). */
  timeoutMs?: number;
  /** Privacy of the trades this client starts (default: the session's mode). */
  privacy?: PrivacyMode;
  now?: () => number;
}

export class MostroClient implements ClientCore {
  readonly session: Session;
  readonly pool: Relays;
  readonly node: string;
  /** Privacy of new trades. */
  readonly privacy: PrivacyMode;
  readonly timeoutMs: number;
  readonly now: () => number;
  observer: WaitObserver | null = null;
  private readonly forcedTransport: Transport | null;
  private readonly directory: NodeDirectory;

  constructor(o: MostroClientOptions) {
    this.session = o.session;
    this.pool = o.pool;
    this.node = o.node;
    this.forcedTransport = o.transport ?? null;
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.now = o.now ?? (() => Math.floor(Date.now() / 1000));
    this.privacy = o.privacy ?? o.session.privacy;
    this.directory = new NodeDirectory(this.pool, this.node, this.timeoutMs, () => this.observer);
  }

  // ── Node discovery ───────────────────────────────────────────────────────────────────────────

  /** Stored events matching the filters, until every relay said EOSE (or `timeoutMs`). */
  query(filters: Filter[], timeoutMs = this.timeoutMs): Promise<NostrEvent[]> {
    return this.directory.query(filters, timeoutMs);
  }

  /** The node's 38385 info (cached after the first fetch). */
  info(refresh = false): Promise<NodeInfo> {
    return this.directory.info(refresh);
  }

  transport(): Promise<Transport> {
    return this.directory.transport(this.forcedTransport);
  }

  relayList(): Promise<string[]> {
    return this.directory.relayList();
  }

  rates(): Promise<Record<string, number>> {
    return this.directory.rates();
  }

  /** Order events (kind 38383) of this node, newest revision per order. */
  orderFilter(since?: number): Filter {
    return this.directory.orderFilter(since);
  }

  orderEvents(since = this.now() - 14 * 86_400): Promise<OrderBookEntry[]> {
    return this.directory.orderEvents(since);
  }

  // ── Requests and what the node sends ─────────────────────────────────────────────────────────

  /**
   * Sends `message` from `key` and waits for the reply that answers it. Replies (and anything else
   * arriving for that key meanwhile) go through `handleIncoming` so trades never miss a step.
   */
  async request(message: Message, key: KeyPair, opts: RequestOptions): Promise<Reply> {
    const transport = await this.transport();
    const pow = await this.directory.powFor(transport);
    return sendRequest(this, { transport, pow }, message, key, opts);
  }

  /** DM filters for replies to `keys` (both transports: a node answers in the one we used). */
  dmFilters(keys: string[], since: number): Filter[] {
    return dmFilters(this.node, keys, since);
  }

  /** Opens an event with whichever of `keys` it is addressed to; only the node's messages count. */
  open(event: NostrEvent, keys: KeyPair[]): Incoming | null {
    return openFromNode(this.node, event, keys);
  }

  /**
   * Applies one node message to the trade it is about (creating the record for a range order's
   * child order). Idempotent per event id. Returns the step, or null when nothing changed.
   */
  handleIncoming(incoming: Incoming, eventId: string, key: KeyPair): Promise<TradeStep | null> {
    const timers = async (): Promise<TradeTimers> => {
      const info = await this.info().catch(() => null);
      return {
        expirationSeconds: info?.expirationSeconds ?? 900,
        holdInvoiceExpirationWindow: info?.holdInvoiceExpirationWindow ?? null,
      };
    };
    return applyIncoming(
      { session: this.session, node: this.node, privacy: this.privacy, timers },
      incoming,
      eventId,
      key,
    );
  }

  // ── Trades ───────────────────────────────────────────────────────────────────────────────────

  trades(): TradeRecord[] {
    return Object.values(this.session.data.trades).sort((a, b) => b.createdAt - a.createdAt);
  }

  trade(orderId: string): TradeRecord {
    const t = this.session.data.trades[orderId.toLowerCase()];
    if (!t) {
      throw new ClientError(
        'unknown_trade',
        `no trade of yours with order id ${orderId}`,
        'list your trades with `mostro trades` (or run `mostro restore`)',
      );
    }
    return t;
  }

  /** Creates an order. The trade index is reserved (and persisted) before anything is sent. */
  newOrder(p: NewOrderParams): Promise<TradeRecord> {
    return actions.newOrder(this, p);
  }

  /** Takes an order (take-sell for a sell order, take-buy for a buy order). */
  takeOrder(orderId: string, p: TakeParams = {}): Promise<TradeRecord> {
    return actions.takeOrder(this, orderId, p);
  }

  addInvoice(orderId: string, invoice: string): Promise<TradeRecord> {
    return actions.addInvoice(this, orderId, invoice);
  }

  addBondInvoice(orderId: string, invoice: string): Promise<TradeRecord> {
    return actions.addBondInvoice(this, orderId, invoice);
  }

  /** The anti-abuse bond this trade still has to pay (invoice and sats), or null. */
  bondToPay(orderId: string): { invoice: string; amountSats: number | null } | null {
    const t = this.trade(orderId);
    const invoice = t.bond?.state === 'to-pay' ? t.bond.invoice : t.next === 'pay-bond-invoice' ? t.bondInvoice : null;
    return invoice ? { invoice, amountSats: t.bond?.amountSats ?? null } : null;
  }

  /** Claims this side's share of the counterparty's slashed bond: `invoice` for exactly that amount. */
  claimBond(orderId: string, invoice: string): Promise<TradeRecord> {
    return actions.addBondInvoice(this, orderId, invoice);
  }

  fiatSent(orderId: string): Promise<TradeRecord> {
    return actions.fiatSent(this, orderId);
  }

  release(orderId: string): Promise<TradeRecord> {
    return actions.release(this, orderId);
  }

  cancel(orderId: string): Promise<TradeRecord> {
    return actions.cancel(this, orderId);
  }

  dispute(orderId: string): Promise<TradeRecord> {
    return actions.dispute(this, orderId);
  }

  /** Rates the counterparty. A full-private counterparty's node sends no ack: that is not an error. */
  rate(orderId: string, rating: number): Promise<{ trade: TradeRecord; acknowledged: boolean }> {
    return actions.rate(this, orderId, rating);
  }

  /** Follows every open trade: catches up on what was missed, then applies each message live. */
  watch(onStep: (trade: TradeRecord, step: TradeStep) => void, opts: { since?: number } = {}): Promise<Subscription> {
    return watchTrades(this, onStep, opts);
  }

  /** Catches up once on every open trade and returns the steps that were new. */
  sync(): Promise<TradeStep[]> {
    return syncTrades(this);
  }

  /** Marks my pending orders whose order event says they expired or were canceled. */
  checkExpired(): Promise<TradeStep[]> {
    return checkExpired(this);
  }

  // ── Session and identity on the node ─────────────────────────────────────────────────────────

  lastTradeIndex(): Promise<number> {
    return lastTradeIndex(this);
  }

  /** My own reputation on the node (0.20 `user-info`; reputation mode only). */
  reputation(): Promise<UserInfo> {
    return reputation(this);
  }

  /** A signed attestation of my reputation on this node for `destination` (default: my identity). */
  exportReputation(opts: { destination?: string; rebind?: string | null } = {}): Promise<ExportedReputation> {
    return exportReputation(this, opts);
  }

  /** Imports an attestation another node issued for my identity (its JSON text). */
  importReputation(json: string): Promise<void> {
    return importReputation(this, json);
  }

  /** Details of my own orders (identity-matched by the node). */
  ordersInfo(ids: string[]): Promise<SmallOrder[]> {
    return ordersInfo(this, ids);
  }

  /** Rebuilds every open trade from the mnemonic alone (see client/restore.ts). */
  restore(opts: RestoreOptions = {}): Promise<RestoreResult> {
    return restoreTrades(this, opts);
  }
}
