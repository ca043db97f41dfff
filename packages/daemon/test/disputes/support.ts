// Shared pieces of the dispute and rating tests: a node on its own simulated Lightning network (so
// tests pay from wallets directly), a key that sends as an admin tool does (full privacy: identity
// = sender = that key, used for the node key and for solvers), and a real trade driven to `active`
// through take-sell, the seller paying the hold invoice from a simulated wallet.

import { randomUUID } from 'node:crypto';
import type { PoolSubscription, RelayPool } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import {
  type Action,
  type Message,
  type NewMessageFields,
  newMessage,
  type Payload,
  type NostrEvent as ProtocolEvent,
  type SmallOrder,
  unwrapMessage,
  wrapMessage,
  wrapperForAction,
} from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { NostrEvent } from 'nostr-tools';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { getOrder } from '../../src/db/orders.ts';
import { createSimulatedBackend, SimulatedNetwork } from '../../src/lightning/simulated/index.ts';
import { fixedOrder } from '../support/orders.ts';
import { eventually } from '../support/relay-query.ts';
import { startTestNode, type TestNode, type TestNodeOptions } from '../support/test-node.ts';
import { TestUser } from '../support/test-user.ts';

export const AMOUNT = 20_000;
export const FEE = 60; // round(0.006 × 20 000 / 2)
export const FUNDS = 100_000;

export interface Harness {
  t: TestNode;
  net: SimulatedNetwork;
  user(options?: { transport?: 'nip44' | 'gift-wrap'; fullPrivacy?: boolean }): Promise<TestUser>;
  admin(secretKey?: Uint8Array): Promise<AdminKey>;
  /**
   * Closes the clients made so far, stops the node and starts it again on the same data, ports, key
   * and Lightning network.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: TestNodeOptions = {}): Promise<Harness> {
  const net = new SimulatedNetwork({ tickMs: 0 });
  const t = await startTestNode({
    ...options,
    lightning: createSimulatedBackend(net, 'mostro'),
    settings: { 'mostro.fee': 0.006, ...options.settings },
  });
  const closers: { close(): void }[] = [];
  const lightning = t.node.ctx.lightning;
  const harness: Harness = {
    t,
    net,
    async user(o = {}) {
      const u = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey, ...o });
      closers.push(u);
      await u.listen();
      return u;
    },
    async admin(secretKey) {
      const a = new AdminKey(t.node.relays, t.node.pubkey, secretKey ?? generateSecretKey());
      closers.push(a);
      await a.listen();
      return a;
    },
    async restart() {
      // Clients made before keep no connection across the restart (make new ones after it).
      for (const c of closers.splice(0)) c.close();
      const previous = harness.t;
      await previous.stop({ keepData: true });
      harness.t = await startTestNode({ restartOf: previous, lightning });
    },
    async close() {
      for (const c of closers) c.close();
      await harness.t.stop();
      net.close();
    },
  };
  return harness;
}

export interface AdminReceived {
  message: Message;
  event: NostrEvent;
}

/** Sends protocol messages from one key with no separate identity (how mostro-cli's admin sends). */
export class AdminKey {
  readonly publicKey: string;
  readonly inbox: AdminReceived[] = [];
  /** What this key sent: the node key hears its own requests (they are addressed to it). */
  private readonly sent = new Set<string>();
  private readonly pool: RelayPool;
  private subscription: PoolSubscription | null = null;

  constructor(
    relays: string[],
    private readonly nodePubkey: string,
    readonly secretKey: Uint8Array,
  ) {
    this.publicKey = getPublicKey(secretKey);
    this.pool = nodeRelayPool({ relays });
  }

  async listen(): Promise<void> {
    this.subscription = this.pool.subscribe(
      [
        { kinds: [14], authors: [this.nodePubkey], '#p': [this.publicKey], limit: 0 },
        { kinds: [1059], '#p': [this.publicKey], limit: 0 },
      ],
      {
        onevent: (event) => {
          if (this.sent.has(event.id)) return;
          const r = unwrapMessage(event as ProtocolEvent, this.secretKey, { from: this.nodePubkey });
          if (r?.ok) this.inbox.push({ message: r.message, event });
        },
      },
    );
    await this.pool.ready();
  }

  async send(fields: Omit<NewMessageFields, 'request_id'> & { request_id?: bigint | null }): Promise<bigint | null> {
    const requestId = fields.request_id === undefined ? BigInt(Math.floor(Math.random() * 1e9)) : fields.request_id;
    const message = newMessage(wrapperForAction(fields.action, fields.payload), {
      ...fields,
      request_id: requestId,
      trade_index: null,
      version: 2,
    });
    const event = wrapMessage({
      transport: 'nip44',
      message,
      tradeKey: this.secretKey,
      identityKey: null,
      recipient: this.nodePubkey,
    }) as NostrEvent;
    this.sent.add(event.id);
    const results = await this.pool.publish(event);
    if (!results.some((r) => r.ok)) throw new Error('no relay accepted the admin message');
    return requestId;
  }

  async waitFor(action: Action, timeoutMs = 5000): Promise<AdminReceived> {
    return eventually(() => {
      const at = this.inbox.findIndex((r) => r.message.kind.action === action);
      return at >= 0 ? this.inbox.splice(at, 1)[0] : undefined;
    }, timeoutMs).catch(() => {
      throw new Error(
        `timed out waiting for ${action}; inbox: ${this.inbox.map((r) => r.message.kind.action).join(', ') || 'nothing'}`,
      );
    });
  }

  async quiet(ms = 700): Promise<AdminReceived[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.inbox.splice(0);
  }

  close(): void {
    this.subscription?.close();
    this.pool.close();
  }
}

/** The node's operator adds a solver (`npub…[:read|:write|:read-write]`), and waits for the ack. */
export async function addSolver(operator: AdminKey, text: string): Promise<void> {
  await operator.send({ action: 'admin-add-solver', id: randomUUID(), payload: { text_message: text } });
  await operator.waitFor('admin-add-solver');
}

export const sellOrder = (fields: Partial<SmallOrder> = {}): SmallOrder =>
  fixedOrder('sell', { amount: AMOUNT, ...fields });

export interface Party {
  user: TestUser;
  index: number;
  key: { secretKey: Uint8Array; publicKey: string };
  /** Simulated wallet name. */
  wallet: string;
}

export interface ActiveTrade {
  id: string;
  seller: Party;
  buyer: Party;
  hash: string;
}

let walletCounter = 0;

/**
 * A sell order made by `seller`, taken with an invoice by `buyer` (or taken bare and the invoice
 * given by add-invoice when `invoiceAtTake` is false), whose hold invoice the seller pays from a
 * funded simulated wallet: the order is `active` and both parties know each other.
 */
export async function activeTrade(
  h: Harness,
  seller: TestUser,
  buyer: TestUser,
  { invoiceAtTake = true } = {},
): Promise<ActiveTrade> {
  const n = ++walletCounter;
  const sellerWallet = `seller-${n}`;
  const buyerWallet = `buyer-${n}`;
  must(h.net.fund(sellerWallet, FUNDS));

  const s = seller.next();
  await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: sellOrder() } });
  const id = (await seller.waitFor('new-order')).message.kind.id!;

  const b = buyer.next();
  const invoice = must(h.net.createInvoice(buyerWallet, { amountSats: AMOUNT - FEE, memo: 'payout' })).request;
  const invoicePayload: Payload = { payment_request: [null, invoice, null] };
  await buyer.send(b.index, {
    action: 'take-sell',
    id,
    trade_index: b.index,
    payload: invoiceAtTake ? invoicePayload : null,
  });
  if (!invoiceAtTake) {
    await buyer.waitFor('add-invoice');
    await buyer.send(b.index, { action: 'add-invoice', id, payload: invoicePayload });
  }
  const pay = await seller.waitFor(
    (r) =>
      r.message.kind.action === 'pay-invoice' &&
      r.message.kind.payload !== null &&
      'payment_request' in r.message.kind.payload,
  );
  const hold = (pay.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request[1];
  must(h.net.pay(sellerWallet, { request: hold, maxFeeSats: 100 }));
  await seller.waitFor('buyer-took-order');
  await buyer.waitFor('hold-invoice-payment-accepted');
  const order = await eventually(() => {
    const o = getOrder(h.t.node.ctx.db, id);
    return o?.status === 'active' ? o : undefined;
  });
  return {
    id,
    seller: { user: seller, index: s.index, key: s.key, wallet: sellerWallet },
    buyer: { user: buyer, index: b.index, key: b.key, wallet: buyerWallet },
    hash: order.hash!,
  };
}

export function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function balanceSats(net: SimulatedNetwork, wallet: string): number {
  return Number(must(net.wallet(wallet)).balanceMsat / 1000n);
}

export const hex = bytesToHex;

/** activeTrade, then fiat-sent, release and the payout: the order is `success`, both invited to rate. */
export async function completedTrade(h: Harness, seller: TestUser, buyer: TestUser): Promise<ActiveTrade> {
  const trade = await activeTrade(h, seller, buyer);
  await buyer.send(trade.buyer.index, { action: 'fiat-sent', id: trade.id });
  await seller.waitFor('fiat-sent-ok');
  await seller.send(trade.seller.index, { action: 'release', id: trade.id });
  await seller.waitFor('rate');
  await buyer.waitFor('purchase-completed');
  await buyer.waitFor('rate');
  await eventually(() => (getOrder(h.t.node.ctx.db, trade.id)?.status === 'success' ? true : undefined));
  return trade;
}
