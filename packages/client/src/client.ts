// MostroClient: one session talking to one node through a relay pool. It sends requests from the
// right key in the right transport (chosen from the node's info), waits for the matching reply,
// drives every trade's state machine from the messages it receives, and persists the trades.
import {
  type Action,
  type DerivedKey,
  type Message,
  type MessageKind,
  type NostrEvent,
  newMessage,
  type OrderKind,
  type OrderStatus,
  type Payload,
  publicKeyOf,
  type RestoreSessionInfo,
  type SmallOrder,
  type Transport,
  type UserInfo,
  wrapperForAction,
} from '@mostro/protocol';
import { ClientError } from './errors.ts';
import { buildEvent, type Incoming, type KeyPair, openEvent } from './net/envelope.ts';
import { type Filter, publishOrFail, type Relays, type Subscription } from './net/relays.ts';
import { type NodeInfo, parseNodeInfo, parseRates, parseRelayList } from './node/info.ts';
import { type OrderBookEntry, parseOrderEvent } from './orderbook/index.ts';
import type { Session } from './session/session.ts';
import type { PrivacyMode } from './session/types.ts';
import { applyMessage, newTrade, type TradeStep } from './trade/machine.ts';
import { answers, type PendingRequest } from './trade/replies.ts';
import { isOpen, type TradeRecord } from './trade/types.ts';

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

export interface Reply {
  message: Message;
  createdAt: number;
  eventId: string;
}

/** Progress callback for long waits (CLI spinners). */
export type WaitObserver = (state: { waitingFor: string; deadline: number } | null) => void;

export interface NewOrderParams {
  kind: OrderKind;
  fiatCode: string;
  /** Fixed fiat amount, or a [min, max] range. */
  fiatAmount: number | [number, number];
  paymentMethod: string;
  /** Sats; 0 (default) = market price. */
  amount?: number;
  premium?: number;
  /** Buy orders: payout invoice or lightning address given up front. */
  buyerInvoice?: string;
  /** Absolute unix expiry (the node clamps it). */
  expiresAt?: number;
}

export interface TakeParams {
  /** The order's kind when known (from the order book); fetched otherwise. */
  kind?: OrderKind;
  /** Range orders: the fiat amount to take. */
  fiatAmount?: number;
  /** Take-sell: give the payout invoice / lightning address right away. */
  invoice?: string;
}

export interface RestoreResult {
  lastTradeIndex: number;
  trades: TradeRecord[];
  disputes: RestoreSessionInfo['disputes'];
}

const SECONDS_2_DAYS = 172_800;
const INBOX_LIMIT = 2000;

function randomRequestId(): bigint {
  const b = new Uint32Array(2);
  crypto.getRandomValues(b);
  // 52 bits: exact in every JSON reader, a collision is out of reach within one session.
  return (BigInt(b[0] as number & 0xfffff) << 32n) | BigInt(b[1] as number);
}

function randomKey(): KeyPair {
  const secretKey = new Uint8Array(32);
  for (;;) {
    crypto.getRandomValues(secretKey);
    try {
      return { secretKey, publicKey: publicKeyHex(secretKey) };
    } catch {
      // out of range scalar: draw again
    }
  }
}

const publicKeyHex = (sk: Uint8Array): string => publicKeyOf(sk);

export class MostroClient {
  readonly session: Session;
  readonly pool: Relays;
  readonly node: string;
  private readonly forcedTransport: Transport | null;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** Privacy of new trades. */
  readonly privacy: PrivacyMode;
  private infoCache: NodeInfo | null = null;
  observer: WaitObserver | null = null;

  constructor(o: MostroClientOptions) {
    this.session = o.session;
    this.pool = o.pool;
    this.node = o.node;
    this.forcedTransport = o.transport ?? null;
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.now = o.now ?? (() => Math.floor(Date.now() / 1000));
    this.privacy = o.privacy ?? o.session.privacy;
  }

  // ── Discovery ────────────────────────────────────────────────────────────────────────────────

  /** Stored events matching the filters, until every relay said EOSE (or `timeoutMs`). */
  query(filters: Filter[], timeoutMs = this.timeoutMs): Promise<NostrEvent[]> {
    return new Promise((resolve) => {
      const out = new Map<string, NostrEvent>();
      let sub: Subscription | null = null;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sub?.close();
        resolve([...out.values()]);
      };
      const timer = setTimeout(finish, timeoutMs);
      sub = this.pool.subscribe(filters, { onevent: (e) => out.set(e.id, e), oneose: finish });
      if (done) sub.close();
    });
  }

  /** The node's 38385 info (cached after the first fetch). */
  async info(refresh = false): Promise<NodeInfo> {
    if (this.infoCache && !refresh) return this.infoCache;
    this.observer?.({ waitingFor: `the node's info event (kind 38385)`, deadline: Date.now() + this.timeoutMs });
    const events = await this.query([{ kinds: [38385], authors: [this.node], '#d': [this.node] }]);
    this.observer?.(null);
    const newest = events
      .map(parseNodeInfo)
      .filter((i): i is NodeInfo => i !== null && i.pubkey === this.node)
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!newest) {
      throw new ClientError(
        'node_unreachable',
        `no info event (kind 38385) from node ${this.node.slice(0, 12)}… on the relays`,
        'check the node pubkey (--node / MOSTRO_NODE) and that the node publishes to these relays (--relay / MOSTRO_RELAYS)',
      );
    }
    this.infoCache = newest;
    return newest;
  }

  async transport(): Promise<Transport> {
    return this.forcedTransport ?? (await this.info()).transport;
  }

  async relayList(): Promise<string[]> {
    const events = await this.query([{ kinds: [10002], authors: [this.node] }]);
    const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
    return newest ? parseRelayList(newest) : [];
  }

  async rates(): Promise<Record<string, number>> {
    const events = await this.query([{ kinds: [30078], authors: [this.node], '#d': ['mostro-rates'] }]);
    const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
    return newest ? parseRates(newest) : {};
  }

  /** Order events (kind 38383) of this node, newest revision per order. */
  orderFilter(since?: number): Filter {
    return { kinds: [38383], authors: [this.node], ...(since !== undefined ? { since } : {}) };
  }

  async orderEvents(since = this.now() - 14 * 86_400): Promise<OrderBookEntry[]> {
    return (await this.query([this.orderFilter(since)]))
      .map(parseOrderEvent)
      .filter((e): e is OrderBookEntry => e !== null);
  }

  // ── Sending ──────────────────────────────────────────────────────────────────────────────────

  private async powFor(transport: Transport): Promise<number> {
    // A forced transport still follows the node's PoW demand (no info at all: nothing to mine for).
    const info = await this.info().catch(() => null);
    if (!info) return 0;
    // v2: a trade key stays a "first contact" for the node until its active-key cache refreshes
    // (up to a minute), so every event of a trade key is mined at the first-contact difficulty.
    return transport === 'nip44' ? Math.max(info.pow, info.powFirstContact) : info.pow;
  }

  /**
   * Sends `message` from `key` and waits for the reply that answers it. Replies (and anything else
   * arriving for that key meanwhile) go through `handleIncoming` so trades never miss a step.
   */
  async request(
    message: Message,
    key: KeyPair,
    opts: {
      /** Prove the session identity (reputation mode only). */
      identity: boolean;
      what: string;
      expectNoReply?: boolean;
      timeoutMs?: number;
      /** Called with every other node message for this key while waiting. */
      onOther?: (incoming: Incoming) => void;
    },
  ): Promise<Reply> {
    const transport = await this.transport();
    message.kind.version = transport === 'nip44' ? 2 : 1;
    const requestId = randomRequestId();
    message.kind.request_id = requestId;
    const pending: PendingRequest = {
      action: message.kind.action,
      requestId,
      ...(message.kind.id !== undefined ? { id: message.kind.id } : {}),
      tradeIndex: message.kind.trade_index,
    };
    // Full private: no identity ever leaves the client (v1 seal by the trade key, v2 no proof).
    const identityKey = opts.identity ? this.session.identity() : null;
    const pow = await this.powFor(transport);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;

    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      let sub: Subscription | null = null;
      const end = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub?.close();
        this.observer?.(null);
        fn();
      };
      const timer = setTimeout(() => end(() => reject(this.timeoutError(opts.what, timeoutMs, pow))), timeoutMs);
      this.observer?.({ waitingFor: opts.what, deadline: Date.now() + timeoutMs });
      let published = false;
      const publish = async () => {
        if (published) return;
        published = true;
        try {
          const event = buildEvent({
            transport,
            message,
            tradeKey: key,
            identityKey,
            recipient: this.node,
            pow,
            expiration: this.now() + 30 * 86_400,
          });
          await publishOrFail(this.pool, event);
          if (opts.expectNoReply) end(() => resolve({ message, createdAt: this.now(), eventId: event.id }));
        } catch (e) {
          end(() => reject(e));
        }
      };
      // Subscribe first, publish once the relays delivered what they had: the reply cannot be missed.
      sub = this.pool.subscribe(this.dmFilters([key.publicKey], this.now() - 5), {
        onevent: (e) => {
          const incoming = this.open(e, [key]);
          if (!incoming) return;
          // What the relays had stored before we published cannot be the reply (an older message
          // about the same order would otherwise match by order id).
          const mayAnswer = published;
          void this.handleIncoming(incoming, e.id, key).then(() => {
            if (!mayAnswer || !answers(pending, incoming.message.kind)) opts.onOther?.(incoming);
            else {
              end(() => {
                const k = incoming.message.kind;
                if (k.action === 'cant-do') reject(cantDoError(k, opts.what));
                else resolve({ message: incoming.message, createdAt: incoming.createdAt, eventId: e.id });
              });
            }
          });
        },
        oneose: () => void publish(),
      });
      // Some pools never send EOSE for a filter they cannot serve: publish anyway after a moment.
      setTimeout(() => void publish(), 1500);
    });
  }

  private timeoutError(what: string, ms: number, pow: number): ClientError {
    const powHint =
      pow > 0
        ? ` The node demands proof of work (${pow} bits); this client mined it, so a drop for low PoW is unlikely.`
        : '';
    return new ClientError(
      'timeout',
      `no reply from the node within ${Math.round(ms / 1000)} s while waiting for ${what}.${powHint}`,
      'check that the node is running and reachable on these relays (mostro node), then retry; the node drops requests silently when they are stale, lack PoW or fail its checks',
    );
  }

  /** DM filters for replies to `keys` (both transports: a node answers in the one we used). */
  dmFilters(keys: string[], since: number): Filter[] {
    return [
      { kinds: [14], authors: [this.node], '#p': keys, since },
      { kinds: [1059], '#p': keys, since: since - SECONDS_2_DAYS },
    ];
  }

  /** Opens an event with whichever of `keys` it is addressed to; only the node's messages count. */
  open(event: NostrEvent, keys: KeyPair[]): Incoming | null {
    const p = event.tags.find((t) => t[0] === 'p')?.[1];
    for (const k of keys) {
      if (p !== undefined && p !== k.publicKey) continue;
      const m = openEvent(event, k.secretKey, this.node);
      if (m && m.sender === this.node && m.identity === this.node) return m;
    }
    return null;
  }

  // ── Trades ───────────────────────────────────────────────────────────────────────────────────

  private timers = async () => ({ expirationSeconds: (await this.info().catch(() => null))?.expirationSeconds ?? 900 });

  /**
   * Applies one node message to the trade it is about (creating the record for a range order's
   * child order). Idempotent per event id. Returns the step, or null when nothing changed.
   */
  async handleIncoming(incoming: Incoming, eventId: string, key: KeyPair): Promise<TradeStep | null> {
    const kind = incoming.message.kind;
    const timers = await this.timers();
    return this.session.update((d) => {
      const seen = d.inbox.includes(eventId);
      if (!seen) d.inbox.push(eventId);
      if (d.inbox.length > INBOX_LIMIT) d.inbox.splice(0, d.inbox.length - INBOX_LIMIT);
      const id = kind.id;
      if (!id) return null;
      let trade = d.trades[id];
      if (!trade && kind.action === 'new-order' && kind.payload && 'order' in kind.payload) {
        // A child order of my range order, announced to the next trade key.
        const stated = kind.trade_index;
        const index =
          stated !== null && stated >= 1 && this.session.key(stated).publicKey === key.publicKey
            ? stated
            : indexOfKey(this.session, key.publicKey, d.lastTradeIndex);
        const o = kind.payload.order;
        if (index === null || !o.kind) return null;
        const parent = Object.values(d.trades).find((p) => p.nextTradeIndex === index);
        trade = newTrade({
          orderId: id,
          nodePubkey: this.node,
          role: 'maker',
          kind: o.kind,
          tradeIndex: index,
          fullPrivate: parent?.fullPrivate ?? this.privacy === 'full-private',
          order: o,
          now: incoming.createdAt,
        });
        if (index > d.lastTradeIndex) d.lastTradeIndex = index;
      }
      if (!trade) return null;
      const step = applyMessage(trade, kind, incoming.createdAt, timers);
      // Already applied (by this or another process sharing the session): report it, change nothing.
      if (seen) return { trade, summary: step.summary, ignored: step.ignored };
      d.trades[id] = step.trade;
      return step;
    });
  }

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

  private tradeKey(trade: TradeRecord): DerivedKey {
    return this.session.key(trade.tradeIndex);
  }

  private orderMessage(
    action: Action,
    fields: { id?: string; trade_index?: number | null; payload?: Payload | null },
  ): Message {
    return newMessage(wrapperForAction(action, fields.payload ?? null), { action, ...fields });
  }

  /** Creates an order. The trade index is reserved (and persisted) before anything is sent. */
  newOrder(p: NewOrderParams): Promise<TradeRecord> {
    return this.withIndexResync(() => this.newOrderOnce(p));
  }

  /**
   * The node refuses a trade index it has already seen (another device used the same mnemonic):
   * learn the node's last index, raise ours past it, and try once more with a fresh key.
   */
  private async withIndexResync<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (e) {
      if (
        !(e instanceof ClientError && e.code === 'cant_do' && e.detail === 'invalid_trade_index') ||
        this.privacy !== 'reputation'
      )
        throw e;
      await this.session.raiseTradeIndex(await this.lastTradeIndex());
      return attempt();
    }
  }

  private async newOrderOnce(p: NewOrderParams): Promise<TradeRecord> {
    const key = await this.session.reserveTradeIndex();
    const range = Array.isArray(p.fiatAmount);
    const order: SmallOrder = {
      kind: p.kind,
      status: 'pending',
      amount: p.amount ?? 0,
      fiat_code: p.fiatCode,
      min_amount: range ? (p.fiatAmount as [number, number])[0] : null,
      max_amount: range ? (p.fiatAmount as [number, number])[1] : null,
      fiat_amount: range ? 0 : (p.fiatAmount as number),
      payment_method: p.paymentMethod,
      premium: p.premium ?? 0,
      ...(p.buyerInvoice ? { buyer_invoice: p.buyerInvoice } : {}),
      created_at: 0,
      expires_at: p.expiresAt ?? null,
    };
    const fullPrivate = this.privacy === 'full-private';
    const message = this.orderMessage('new-order', { trade_index: fullPrivate ? null : key.index, payload: { order } });
    const reply = await this.request(message, key, {
      identity: !fullPrivate,
      what: 'the node to accept the new order',
    });
    const k = reply.message.kind;
    const id = k.id ?? (k.payload && 'order' in k.payload ? k.payload.order.id : undefined);
    if (!id)
      throw new ClientError(
        'cant_do',
        'the node answered without an order id',
        'retry; if it persists the node is not compatible',
      );
    const ack = k.payload && 'order' in k.payload ? k.payload.order : order;
    const trade = newTrade({
      orderId: id,
      nodePubkey: this.node,
      role: 'maker',
      kind: p.kind,
      tradeIndex: key.index,
      fullPrivate,
      order: { ...ack, id },
      status: (ack.status as OrderStatus | null) ?? 'pending',
      now: reply.createdAt,
    });
    if (k.action === 'pay-bond-invoice') {
      trade.next = 'pay-bond-invoice';
      trade.bondInvoice = k.payload && 'payment_request' in k.payload ? k.payload.payment_request[1] : null;
    }
    await this.session.update((d) => {
      // Keep any step that already arrived for it.
      d.trades[id] = d.trades[id] ? { ...trade, ...d.trades[id] } : trade;
    });
    return this.trade(id);
  }

  /** Takes an order (take-sell for a sell order, take-buy for a buy order). */
  takeOrder(orderId: string, p: TakeParams = {}): Promise<TradeRecord> {
    return this.withIndexResync(() => this.takeOrderOnce(orderId, p));
  }

  private async takeOrderOnce(orderId: string, p: TakeParams): Promise<TradeRecord> {
    const id = orderId.toLowerCase();
    if (this.session.data.trades[id]) {
      throw new ClientError(
        'not_allowed',
        `order ${id} is already one of your trades`,
        'see it with `mostro trades`; a maker cannot take its own order',
      );
    }
    let kind = p.kind;
    if (!kind) {
      const entry = (await this.orderEvents(0)).filter((e) => e.id === id).sort((a, b) => b.createdAt - a.createdAt)[0];
      if (!entry) {
        throw new ClientError(
          'invalid_input',
          `order ${id} is not in this node's order book`,
          'check the id with `mostro orders`',
        );
      }
      kind = entry.kind;
    }
    const key = await this.session.reserveTradeIndex();
    const fullPrivate = this.privacy === 'full-private';
    const action: Action = kind === 'sell' ? 'take-sell' : 'take-buy';
    let payload: Payload | null = null;
    if (action === 'take-sell' && p.invoice) payload = { payment_request: [null, p.invoice, p.fiatAmount ?? null] };
    else if (p.fiatAmount !== undefined) payload = { amount: p.fiatAmount };
    // Record the trade before sending: its replies may arrive before `request` returns.
    const trade = newTrade({
      orderId: id,
      nodePubkey: this.node,
      role: 'taker',
      kind,
      tradeIndex: key.index,
      fullPrivate,
      now: this.now(),
    });
    await this.session.update((d) => {
      d.trades[id] = trade;
    });
    const message = this.orderMessage(action, { id, trade_index: fullPrivate ? null : key.index, payload });
    try {
      await this.request(message, key, { identity: !fullPrivate, what: `the node to confirm the ${action}` });
    } catch (e) {
      if (e instanceof ClientError && e.code === 'cant_do') {
        await this.session.update((d) => {
          delete d.trades[id];
        });
      }
      throw e;
    }
    return this.trade(id);
  }

  private async tradeRequest(
    orderId: string,
    action: Action,
    payload: Payload | null,
    what: string,
    expectNoReply = false,
  ): Promise<TradeRecord> {
    const trade = this.trade(orderId);
    const message = this.orderMessage(action, { id: trade.orderId, payload });
    await this.request(message, this.tradeKey(trade), { identity: !trade.fullPrivate, what, expectNoReply });
    return this.trade(orderId);
  }

  addInvoice(orderId: string, invoice: string): Promise<TradeRecord> {
    return this.tradeRequest(
      orderId,
      'add-invoice',
      { payment_request: [null, invoice, null] },
      'the node to accept the invoice',
    );
  }

  addBondInvoice(orderId: string, invoice: string): Promise<TradeRecord> {
    return this.tradeRequest(
      orderId,
      'add-bond-invoice',
      { payment_request: [null, invoice, null] },
      'the node to accept the bond invoice',
    );
  }

  /** Range orders I made: announce the next trade key so the node can create the child order. */
  private async nextTradePayload(trade: TradeRecord, forSide: 'buyer' | 'seller'): Promise<Payload | null> {
    const o = trade.order;
    if (trade.role !== 'maker' || trade.side !== forSide || !o || o.max_amount == null || o.min_amount == null)
      return null;
    if (o.max_amount - (o.fiat_amount ?? 0) < o.min_amount) return null;
    const next = await this.session.reserveTradeIndex();
    await this.session.update((d) => {
      const t = d.trades[trade.orderId];
      if (t) t.nextTradeIndex = next.index;
    });
    // Full private: the index would tell the node how many trades this mnemonic made; the child
    // order is recognised by the key it is addressed to instead.
    return { next_trade: [next.publicKey, trade.fullPrivate ? 0 : next.index] };
  }

  async fiatSent(orderId: string): Promise<TradeRecord> {
    const payload = await this.nextTradePayload(this.trade(orderId), 'buyer');
    return this.tradeRequest(orderId, 'fiat-sent', payload, 'the node to confirm fiat-sent');
  }

  async release(orderId: string): Promise<TradeRecord> {
    const payload = await this.nextTradePayload(this.trade(orderId), 'seller');
    return this.tradeRequest(orderId, 'release', payload, 'the node to confirm the release');
  }

  cancel(orderId: string): Promise<TradeRecord> {
    return this.tradeRequest(orderId, 'cancel', null, 'the node to confirm the cancel');
  }

  dispute(orderId: string): Promise<TradeRecord> {
    return this.tradeRequest(orderId, 'dispute', null, 'the node to open the dispute');
  }

  /** Rates the counterparty. A full-private counterparty's node sends no ack: that is not an error. */
  async rate(orderId: string, rating: number): Promise<{ trade: TradeRecord; acknowledged: boolean }> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      throw new ClientError(
        'invalid_input',
        `rating must be an integer from 1 to 5, got ${rating}`,
        'pass 1, 2, 3, 4 or 5',
      );
    }
    try {
      const trade = await this.tradeRequest(
        orderId,
        'rate-user',
        { rating_user: rating },
        'the node to record the rating',
      );
      return { trade, acknowledged: true };
    } catch (e) {
      if (e instanceof ClientError && e.code === 'timeout') {
        await this.session.update((d) => {
          const t = d.trades[orderId.toLowerCase()];
          if (t) {
            t.rated = true;
            t.next = 'none';
          }
        });
        return { trade: this.trade(orderId), acknowledged: false };
      }
      throw e;
    }
  }

  /** Follows every open trade: catches up on what was missed, then applies each message live. */
  async watch(
    onStep: (trade: TradeRecord, step: TradeStep) => void,
    opts: { since?: number } = {},
  ): Promise<Subscription> {
    const all = this.trades();
    const open = all.filter(isOpen);
    const keys: KeyPair[] = open.map((t) => this.tradeKey(t));
    // Keys announced with next_trade for a range order's child, until that child is known.
    const children = all.filter(
      (t) => t.nextTradeIndex !== null && !all.some((c) => c.tradeIndex === t.nextTradeIndex),
    );
    for (const t of children) keys.push(this.session.key(t.nextTradeIndex as number));
    if (keys.length === 0) return { close() {} };
    const since = opts.since ?? Math.min(...[...open, ...children].map((t) => t.createdAt)) - 60;
    const backlog: { incoming: Incoming; id: string; key: KeyPair }[] = [];
    let live = false;
    let chain = Promise.resolve();
    const apply = (incoming: Incoming, id: string, key: KeyPair) => {
      chain = chain.then(async () => {
        const step = await this.handleIncoming(incoming, id, key);
        if (step && !step.ignored) onStep(step.trade, step);
      });
    };
    let resolveEose!: () => void;
    const eose = new Promise<void>((r) => {
      resolveEose = r;
    });
    const sub = this.pool.subscribe(
      this.dmFilters(
        keys.map((k) => k.publicKey),
        since,
      ),
      {
        onevent: (e) => {
          const key = keys.find((k) => e.tags.some((t) => t[0] === 'p' && t[1] === k.publicKey));
          if (!key) return;
          const incoming = this.open(e, [key]);
          if (!incoming) return;
          if (live) apply(incoming, e.id, key);
          else backlog.push({ incoming, id: e.id, key });
        },
        oneose: () => resolveEose(),
      },
    );
    await Promise.race([eose, new Promise((r) => setTimeout(r, this.timeoutMs))]);
    // Stored messages arrive in any order: apply them oldest first.
    backlog.sort((a, b) => a.incoming.createdAt - b.incoming.createdAt);
    for (const b of backlog) apply(b.incoming, b.id, b.key);
    live = true;
    await chain;
    return sub;
  }

  /** Catches up once on every open trade and returns the steps that were new. */
  async sync(): Promise<TradeStep[]> {
    const steps: TradeStep[] = [];
    const sub = await this.watch((_t, s) => steps.push(s));
    sub.close();
    steps.push(...(await this.checkExpired()));
    return steps;
  }

  /**
   * The node sends no message when a pending order expires or is canceled elsewhere; its order
   * event says so. Marks my pending orders whose newest event is no longer pending.
   */
  async checkExpired(): Promise<TradeStep[]> {
    const pending = this.trades().filter((t) => t.status === 'pending' && t.role === 'maker');
    if (pending.length === 0) return [];
    const events = await this.query([{ kinds: [38383], authors: [this.node], '#d': pending.map((t) => t.orderId) }]);
    const newest = new Map<string, OrderBookEntry>();
    for (const e of events.map(parseOrderEvent)) {
      if (e && (!newest.has(e.id) || (newest.get(e.id) as OrderBookEntry).createdAt < e.createdAt)) newest.set(e.id, e);
    }
    const now = this.now();
    return this.session.update((d) => {
      const steps: TradeStep[] = [];
      for (const t of pending) {
        const e = newest.get(t.orderId);
        const cur = d.trades[t.orderId];
        if (!e || !cur || cur.status !== 'pending' || (e.status !== 'canceled' && e.status !== 'expired')) continue;
        const expired = (e.expiresAt ?? cur.deadline?.at ?? Number.POSITIVE_INFINITY) <= now;
        const next: TradeRecord = {
          ...cur,
          status: expired ? 'expired' : 'canceled',
          next: 'none',
          deadline: null,
          updatedAt: now,
        };
        d.trades[t.orderId] = next;
        steps.push({
          trade: next,
          summary: expired
            ? `your order expired without a taker; publish it again with: mostro new --renew ${t.orderId}`
            : 'your order was canceled',
          ignored: false,
        });
      }
      return steps;
    });
  }

  // ── Restore ──────────────────────────────────────────────────────────────────────────────────

  /** Requests that speak for the identity go out from a one-time key with an identity proof. */
  private async identityRequest(action: Action, payload: Payload | null, what: string): Promise<MessageKind> {
    if (this.privacy !== 'reputation') {
      throw new ClientError(
        'not_allowed',
        `${action} needs reputation mode: in full-private mode the node keeps nothing that links your trades`,
        'restore a full-private session by importing the mnemonic; trades are found from your trade keys',
      );
    }
    const message = newMessage(wrapperForAction(action, payload), { action, payload });
    const reply = await this.request(message, randomKey(), { identity: true, what });
    return reply.message.kind;
  }

  async lastTradeIndex(): Promise<number> {
    try {
      const k = await this.identityRequest('last-trade-index', null, 'the last trade index');
      return k.trade_index ?? 0;
    } catch (e) {
      if (
        e instanceof ClientError &&
        e.code === 'cant_do' &&
        (e.detail === 'not_found' || e.detail === 'invalid_trade_index')
      )
        return 0;
      throw e;
    }
  }

  /**
   * My own reputation as this node keeps it (0.20 `user-info`, reputation mode only): zeros and
   * no `since` for an identity the node does not know.
   */
  async reputation(): Promise<UserInfo> {
    const k = await this.identityRequest('user-info', null, 'your reputation');
    if (k.payload && 'user_info' in k.payload) return k.payload.user_info;
    throw new ClientError(
      'node_unreachable',
      'the node answered user-info without a reputation',
      'the node may predate mostrod 0.20; try another node',
    );
  }

  /** Details of my own orders (identity-matched by the node). */
  async ordersInfo(ids: string[]): Promise<SmallOrder[]> {
    if (ids.length === 0) return [];
    const k = await this.identityRequest('orders', { ids }, 'the details of your orders');
    return k.payload && 'orders' in k.payload ? k.payload.orders : [];
  }

  /** Reputation mode: the node finds every trade of the identity. */
  private async restoreByIdentity(): Promise<{
    last: number;
    data: RestoreSessionInfo;
    details: Map<string, SmallOrder>;
  }> {
    const last = await this.lastTradeIndex();
    const k = await this.identityRequest('restore-session', null, 'the list of your open trades');
    const data: RestoreSessionInfo =
      k.payload && 'restore_data' in k.payload ? k.payload.restore_data : { orders: [], disputes: [] };
    const ids = [...data.orders.map((o) => o.order_id), ...data.disputes.map((d) => d.order_id)];
    const details = new Map<string, SmallOrder>();
    const chunk = Math.max(1, (await this.info().catch(() => null))?.maxOrdersPerResponse ?? 10);
    for (let i = 0; i < ids.length; i += chunk) {
      try {
        for (const o of await this.ordersInfo(ids.slice(i, i + chunk))) if (o.id) details.set(o.id, o);
      } catch {
        // Details are a nicety: the trade keys and statuses already let us resume.
      }
    }
    return { last, data, details };
  }

  /**
   * Full private mode: the node links nothing to an identity, so each trade key asks for its own
   * trades (its "identity" is itself), until `gap` keys in a row have none.
   */
  private async scanTradeKeys(
    gap: number,
  ): Promise<{ last: number; data: RestoreSessionInfo; details: Map<string, SmallOrder> }> {
    const data: RestoreSessionInfo = { orders: [], disputes: [] };
    const details = new Map<string, SmallOrder>();
    let last = 0;
    for (let i = 1, misses = 0; misses < gap; i++) {
      const key = this.session.key(i);
      const ask = async (action: Action, payload: Payload | null) =>
        (
          await this.request(newMessage(wrapperForAction(action, payload), { action, payload }), key, {
            identity: false,
            what: `the trades of trade key ${i}`,
          })
        ).message.kind;
      const k = await ask('restore-session', null);
      const r = k.payload && 'restore_data' in k.payload ? k.payload.restore_data : { orders: [], disputes: [] };
      const own = <T extends { trade_index: number }>(x: T): T => ({ ...x, trade_index: i });
      if (r.orders.length + r.disputes.length === 0) {
        misses++;
        continue;
      }
      misses = 0;
      last = i;
      data.orders.push(...r.orders.map(own));
      data.disputes.push(...r.disputes.map(own));
      const ids = [...r.orders.map((o) => o.order_id), ...r.disputes.map((d) => d.order_id)];
      try {
        const o = await ask('orders', { ids });
        if (o.payload && 'orders' in o.payload) for (const x of o.payload.orders) if (x.id) details.set(x.id, x);
      } catch {
        // Details are a nicety.
      }
    }
    return { last, data, details };
  }

  /**
   * Rebuilds every open trade from the mnemonic alone: last-trade-index, restore-session, then
   * `orders` for the details; the index counter is raised so no key is reused; then a catch-up
   * replays the node's messages to each trade key to recover where each trade stands.
   */
  async restore(opts: { scan?: number } = {}): Promise<RestoreResult> {
    const fullPrivate = this.privacy === 'full-private';
    const found = fullPrivate ? await this.scanTradeKeys(opts.scan ?? 10) : await this.restoreByIdentity();
    const { last, data, details } = found;
    const all = [
      ...data.orders.map((o) => ({
        id: o.order_id,
        index: o.trade_index,
        status: o.status,
        dispute: null as null | (typeof data.disputes)[number],
      })),
      ...data.disputes.map((d) => ({
        id: d.order_id,
        index: d.trade_index,
        status: 'dispute' as OrderStatus,
        dispute: d,
      })),
    ];
    const max = Math.max(last, ...all.map((o) => o.index));
    const now = this.now();
    const restored: TradeRecord[] = [];
    for (const o of all) {
      const key = this.session.key(o.index);
      const d = details.get(o.id) ?? null;
      const side =
        d?.buyer_trade_pubkey === key.publicKey ? 'buyer' : d?.seller_trade_pubkey === key.publicKey ? 'seller' : null;
      const kind: OrderKind = d?.kind ?? 'sell';
      const role = side === null ? 'maker' : (kind === 'sell') === (side === 'seller') ? 'maker' : 'taker';
      const t = newTrade({
        orderId: o.id,
        nodePubkey: this.node,
        role,
        kind,
        tradeIndex: o.index,
        fullPrivate,
        order: d,
        status: o.status,
        now,
      });
      if (d) t.counterpartyPubkey = (side === 'buyer' ? d.seller_trade_pubkey : d.buyer_trade_pubkey) ?? null;
      if (o.dispute) t.dispute = { id: o.dispute.dispute_id, byMe: false, solverPubkey: o.dispute.solver_pubkey };
      restored.push(t);
    }
    await this.session.update((d) => {
      if (max > d.lastTradeIndex) d.lastTradeIndex = max;
      for (const t of restored) d.trades[t.orderId] = { ...t, ...(d.trades[t.orderId] ?? {}), status: t.status };
    });
    // Replay what the node told each trade key, to recover invoices, counterparty and next steps.
    const oldest = Math.min(now, ...restored.map((t) => t.order?.created_at ?? now - 15 * 86_400));
    if (restored.length > 0) await (await this.watch(() => {}, { since: oldest - 60 })).close();
    return { lastTradeIndex: max, trades: restored.map((t) => this.trade(t.orderId)), disputes: data.disputes };
  }
}

function indexOfKey(session: Session, pub: string, upTo: number): number | null {
  for (let i = upTo + 5; i >= 1; i--) if (session.key(i).publicKey === pub) return i;
  return null;
}

function cantDoError(k: MessageKind, what: string): ClientError {
  const reason = (k.payload && 'cant_do' in k.payload ? k.payload.cant_do : null) ?? 'invalid_action';
  return new ClientError(
    'cant_do',
    `the node refused (${reason}) while waiting for ${what}`,
    CANT_DO_FIX[reason] ?? 'check the order id and its state with `mostro trades`',
    reason,
  );
}

const CANT_DO_FIX: Record<string, string> = {
  not_found: 'check the id: the node does not know it',
  invalid_trade_index: 'run `mostro restore` to resynchronize the trade index, then retry',
  invalid_signature: 'your session may be damaged; restore from the mnemonic',
  invalid_order_status: 'the order is not in a state that allows this (taken, expired or canceled?)',
  not_allowed_by_status: 'the order is not in a state that allows this; see `mostro trades`',
  is_not_your_order: 'this order belongs to someone else',
  invalid_pubkey: 'this action is for the other party of the trade (or you are the maker of this order)',
  invalid_peer: 'this action is for the other party of the trade',
  out_of_range_sats_amount: "the amount is outside the node's limits or the order's range (see `mostro node`)",
  out_of_range_fiat_amount: "the fiat amount is outside the order's range",
  invalid_amount: 'check the amounts (positive integers; a range needs min < max and no sats amount)',
  invalid_parameters: 'a market order (no sats amount) may carry a premium; a fixed sats order must have premium 0',
  price_too_stale: 'the node has no fresh price for this currency: give a sats amount, or retry later',
  invalid_fiat_currency: 'the node does not accept this currency (see `mostro node`)',
  invalid_invoice: 'the invoice is invalid, expired, for the wrong network or the wrong amount (amount − fee)',
  pending_order_exists: 'finish (or cancel) your other trade waiting for you first',
  order_already_canceled: 'the order is already canceled',
  too_many_requests: 'ask for fewer orders at once',
  not_authorized: 'your key is not allowed to do this on this node',
  is_not_your_dispute: 'the dispute is assigned to another solver',
  dispute_taken_by_admin: 'the node operator took over this dispute',
  invalid_dispute_status: 'the dispute is not open',
  invalid_text_message: 'the text must be an npub, optionally with :read, :write or :read-write',
};
