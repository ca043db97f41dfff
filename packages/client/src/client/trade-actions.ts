// Trade actions: make or take an order, then each step of the trade (invoice, fiat sent, release,
// cancel, dispute, rating). A trade index is reserved and persisted before anything is sent.
import {
  type Action,
  type Message,
  newMessage,
  type OrderKind,
  type OrderStatus,
  type Payload,
  type SmallOrder,
  wrapperForAction,
} from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import { newTrade } from '../trade/machine.ts';
import type { TradeRecord } from '../trade/types.ts';
import type { ClientCore } from './core.ts';

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

function orderMessage(
  action: Action,
  fields: { id?: string; trade_index?: number | null; payload?: Payload | null },
): Message {
  return newMessage(wrapperForAction(action, fields.payload ?? null), { action, ...fields });
}

/**
 * The node refuses a trade index it has already seen (another device used the same mnemonic):
 * learn the node's last index, raise ours past it, and try once more with a fresh key.
 */
async function withIndexResync<T>(c: ClientCore, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (
      !(e instanceof ClientError && e.code === 'cant_do' && e.detail === 'invalid_trade_index') ||
      c.privacy !== 'reputation'
    )
      throw e;
    await c.session.raiseTradeIndex(await c.lastTradeIndex());
    return attempt();
  }
}

/** Creates an order. */
export function newOrder(c: ClientCore, p: NewOrderParams): Promise<TradeRecord> {
  return withIndexResync(c, () => newOrderOnce(c, p));
}

async function newOrderOnce(c: ClientCore, p: NewOrderParams): Promise<TradeRecord> {
  const key = await c.session.reserveTradeIndex();
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
  const fullPrivate = c.privacy === 'full-private';
  const message = orderMessage('new-order', { trade_index: fullPrivate ? null : key.index, payload: { order } });
  const reply = await c.request(message, key, {
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
    nodePubkey: c.node,
    role: 'maker',
    kind: p.kind,
    tradeIndex: key.index,
    fullPrivate,
    order: { ...ack, id },
    status: (ack.status as OrderStatus | null) ?? 'pending',
    now: reply.createdAt,
  });
  if (k.action === 'pay-bond-invoice') {
    // Maker bond: the order is published (and acked with new-order) only once this is paid.
    const request = k.payload && 'payment_request' in k.payload ? k.payload.payment_request : null;
    trade.next = 'pay-bond-invoice';
    trade.status = 'waiting-maker-bond';
    trade.bondInvoice = request?.[1] ?? null;
    trade.bond = { state: 'to-pay', amountSats: request?.[0]?.amount ?? null, invoice: trade.bondInvoice };
  }
  await c.session.update((d) => {
    // Keep any step that already arrived for it.
    d.trades[id] = d.trades[id] ? { ...trade, ...d.trades[id] } : trade;
  });
  return c.trade(id);
}

/** Takes an order (take-sell for a sell order, take-buy for a buy order). */
export function takeOrder(c: ClientCore, orderId: string, p: TakeParams = {}): Promise<TradeRecord> {
  return withIndexResync(c, () => takeOrderOnce(c, orderId, p));
}

async function takeOrderOnce(c: ClientCore, orderId: string, p: TakeParams): Promise<TradeRecord> {
  const id = orderId.toLowerCase();
  if (c.session.data.trades[id]) {
    throw new ClientError(
      'not_allowed',
      `order ${id} is already one of your trades`,
      'see it with `mostro trades`; a maker cannot take its own order',
    );
  }
  let kind = p.kind;
  if (!kind) {
    const entry = (await c.orderEvents(0)).filter((e) => e.id === id).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!entry) {
      throw new ClientError(
        'invalid_input',
        `order ${id} is not in this node's order book`,
        'check the id with `mostro orders`',
      );
    }
    kind = entry.kind;
  }
  const key = await c.session.reserveTradeIndex();
  const fullPrivate = c.privacy === 'full-private';
  const action: Action = kind === 'sell' ? 'take-sell' : 'take-buy';
  let payload: Payload | null = null;
  if (action === 'take-sell' && p.invoice) payload = { payment_request: [null, p.invoice, p.fiatAmount ?? null] };
  else if (p.fiatAmount !== undefined) payload = { amount: p.fiatAmount };
  // Record the trade before sending: its replies may arrive before `request` returns.
  const trade = newTrade({
    orderId: id,
    nodePubkey: c.node,
    role: 'taker',
    kind,
    tradeIndex: key.index,
    fullPrivate,
    now: c.now(),
  });
  await c.session.update((d) => {
    d.trades[id] = trade;
  });
  const message = orderMessage(action, { id, trade_index: fullPrivate ? null : key.index, payload });
  try {
    await c.request(message, key, { identity: !fullPrivate, what: `the node to confirm the ${action}` });
  } catch (e) {
    if (e instanceof ClientError && e.code === 'cant_do') {
      await c.session.update((d) => {
        delete d.trades[id];
      });
    }
    throw e;
  }
  return c.trade(id);
}

/** One step of an existing trade, sent from that trade's key. */
async function tradeRequest(
  c: ClientCore,
  orderId: string,
  action: Action,
  payload: Payload | null,
  what: string,
  expectNoReply = false,
): Promise<TradeRecord> {
  const trade = c.trade(orderId);
  const message = orderMessage(action, { id: trade.orderId, payload });
  await c.request(message, c.session.key(trade.tradeIndex), { identity: !trade.fullPrivate, what, expectNoReply });
  return c.trade(orderId);
}

/** The buyer's payout invoice (add-invoice) or a bond invoice (add-bond-invoice). */
function sendInvoice(
  c: ClientCore,
  orderId: string,
  action: 'add-invoice' | 'add-bond-invoice',
  invoice: string,
  what: string,
): Promise<TradeRecord> {
  return tradeRequest(c, orderId, action, { payment_request: [null, invoice, null] }, what);
}

export function addInvoice(c: ClientCore, orderId: string, invoice: string): Promise<TradeRecord> {
  return sendInvoice(c, orderId, 'add-invoice', invoice, 'the node to accept the invoice');
}

export function addBondInvoice(c: ClientCore, orderId: string, invoice: string): Promise<TradeRecord> {
  return sendInvoice(c, orderId, 'add-bond-invoice', invoice, 'the node to accept the bond invoice');
}

/** Range orders I made: announce the next trade key so the node can create the child order. */
async function nextTradePayload(
  c: ClientCore,
  trade: TradeRecord,
  forSide: 'buyer' | 'seller',
): Promise<Payload | null> {
  const o = trade.order;
  if (trade.role !== 'maker' || trade.side !== forSide || !o || o.max_amount == null || o.min_amount == null)
    return null;
  if (o.max_amount - (o.fiat_amount ?? 0) < o.min_amount) return null;
  const next = await c.session.reserveTradeIndex();
  await c.session.update((d) => {
    const t = d.trades[trade.orderId];
    if (t) t.nextTradeIndex = next.index;
  });
  // Full private: the index would tell the node how many trades this mnemonic made; the child
  // order is recognised by the key it is addressed to instead.
  return { next_trade: [next.publicKey, trade.fullPrivate ? 0 : next.index] };
}

export async function fiatSent(c: ClientCore, orderId: string): Promise<TradeRecord> {
  const payload = await nextTradePayload(c, c.trade(orderId), 'buyer');
  return tradeRequest(c, orderId, 'fiat-sent', payload, 'the node to confirm fiat-sent');
}

export async function release(c: ClientCore, orderId: string): Promise<TradeRecord> {
  const payload = await nextTradePayload(c, c.trade(orderId), 'seller');
  return tradeRequest(c, orderId, 'release', payload, 'the node to confirm the release');
}

export function cancel(c: ClientCore, orderId: string): Promise<TradeRecord> {
  return tradeRequest(c, orderId, 'cancel', null, 'the node to confirm the cancel');
}

/** Opens a dispute on the trade (the solver side is `AdminClient`, admin.ts). */
export function dispute(c: ClientCore, orderId: string): Promise<TradeRecord> {
  return tradeRequest(c, orderId, 'dispute', null, 'the node to open the dispute');
}

/** Rates the counterparty. A full-private counterparty's node sends no ack: that is not an error. */
export async function rate(
  c: ClientCore,
  orderId: string,
  rating: number,
): Promise<{ trade: TradeRecord; acknowledged: boolean }> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw new ClientError(
      'invalid_input',
      `rating must be an integer from 1 to 5, got ${rating}`,
      'pass 1, 2, 3, 4 or 5',
    );
  }
  try {
    const trade = await tradeRequest(c, orderId, 'rate-user', { rating_user: rating }, 'the node to record the rating');
    return { trade, acknowledged: true };
  } catch (e) {
    if (e instanceof ClientError && e.code === 'timeout') {
      await c.session.update((d) => {
        const t = d.trades[orderId.toLowerCase()];
        if (t) {
          t.rated = true;
          t.next = 'none';
        }
      });
      return { trade: c.trade(orderId), acknowledged: false };
    }
    throw e;
  }
}
