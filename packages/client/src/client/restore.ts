// Session and identity on the node: the last trade index, my orders' details, and rebuilding every
// open trade from the mnemonic alone (reputation mode asks as the identity; full private mode asks
// from each trade key in turn).
import {
  type Action,
  type MessageKind,
  newMessage,
  type OrderKind,
  type OrderStatus,
  type Payload,
  type RestoreSessionInfo,
  type SmallOrder,
  type UserInfo,
  wrapperForAction,
} from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import { newTrade } from '../trade/machine.ts';
import type { TradeRecord } from '../trade/types.ts';
import type { ClientCore } from './core.ts';
import { randomKey } from './request.ts';

export interface RestoreResult {
  lastTradeIndex: number;
  trades: TradeRecord[];
  disputes: RestoreSessionInfo['disputes'];
}

/**
 * Where a restore stands, in the order a person sees it (the stages of the mobile client):
 * asking the node, the list of trades received, each trade's details loading, working out my role
 * in each, saving and replaying what the node told each trade key, done. `no-previous-data`
 * ends a restore that found nothing (a new identity, or nothing open on this node).
 */
export type RestoreProgress =
  | { stage: 'requesting'; tradeKey?: number }
  | { stage: 'receiving-orders'; orders: number }
  | { stage: 'loading-details'; loaded: number; total: number }
  | { stage: 'processing-roles'; trades: number }
  | { stage: 'finalizing' }
  | { stage: 'completed'; trades: number }
  | { stage: 'no-previous-data' };

export interface RestoreOptions {
  /** Full private mode: trade keys in a row without trades before the scan stops (default 10). */
  scan?: number;
  onProgress?: (p: RestoreProgress) => void;
}

type Report = (p: RestoreProgress) => void;

type Found = { last: number; data: RestoreSessionInfo; details: Map<string, SmallOrder> };

/** Requests that speak for the identity go out from a one-time key with an identity proof. */
export async function identityRequest(
  c: ClientCore,
  action: Action,
  payload: Payload | null,
  what: string,
): Promise<MessageKind> {
  if (c.privacy !== 'reputation') {
    throw new ClientError(
      'not_allowed',
      `${action} needs reputation mode: in full-private mode the node keeps nothing that links your trades`,
      'restore a full-private session by importing the mnemonic; trades are found from your trade keys',
    );
  }
  const message = newMessage(wrapperForAction(action, payload), { action, payload });
  const reply = await c.request(message, randomKey(), { identity: true, what });
  return reply.message.kind;
}

export async function lastTradeIndex(c: ClientCore): Promise<number> {
  try {
    const k = await identityRequest(c, 'last-trade-index', null, 'the last trade index');
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
export async function reputation(c: ClientCore): Promise<UserInfo> {
  const k = await identityRequest(c, 'user-info', null, 'your reputation');
  if (k.payload && 'user_info' in k.payload) return k.payload.user_info;
  throw new ClientError(
    'node_unreachable',
    'the node answered user-info without a reputation',
    'the node may predate mostrod 0.20; try another node',
  );
}

/** Details of my own orders (identity-matched by the node). */
export async function ordersInfo(c: ClientCore, ids: string[]): Promise<SmallOrder[]> {
  if (ids.length === 0) return [];
  const k = await identityRequest(c, 'orders', { ids }, 'the details of your orders');
  return k.payload && 'orders' in k.payload ? k.payload.orders : [];
}

/** Reputation mode: the node finds every trade of the identity. */
async function restoreByIdentity(c: ClientCore, report: Report): Promise<Found> {
  report({ stage: 'requesting' });
  const last = await c.lastTradeIndex();
  const k = await identityRequest(c, 'restore-session', null, 'the list of your open trades');
  const data: RestoreSessionInfo =
    k.payload && 'restore_data' in k.payload ? k.payload.restore_data : { orders: [], disputes: [] };
  const ids = [...data.orders.map((o) => o.order_id), ...data.disputes.map((d) => d.order_id)];
  report({ stage: 'receiving-orders', orders: ids.length });
  const details = new Map<string, SmallOrder>();
  const chunk = Math.max(1, (await c.info().catch(() => null))?.maxOrdersPerResponse ?? 10);
  for (let i = 0; i < ids.length; i += chunk) {
    report({ stage: 'loading-details', loaded: i, total: ids.length });
    try {
      for (const o of await ordersInfo(c, ids.slice(i, i + chunk))) if (o.id) details.set(o.id, o);
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
async function scanTradeKeys(c: ClientCore, gap: number, report: Report): Promise<Found> {
  const data: RestoreSessionInfo = { orders: [], disputes: [] };
  const details = new Map<string, SmallOrder>();
  let last = 0;
  for (let i = 1, misses = 0; misses < gap; i++) {
    const key = c.session.key(i);
    report({ stage: 'requesting', tradeKey: i });
    const ask = async (action: Action, payload: Payload | null) =>
      (
        await c.request(newMessage(wrapperForAction(action, payload), { action, payload }), key, {
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
    report({ stage: 'receiving-orders', orders: data.orders.length + data.disputes.length });
    report({ stage: 'loading-details', loaded: details.size, total: data.orders.length + data.disputes.length });
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
export async function restoreTrades(c: ClientCore, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const report: Report = (p) => {
    try {
      opts.onProgress?.(p);
    } catch {
      // A display callback that throws must not break the restore.
    }
  };
  const fullPrivate = c.privacy === 'full-private';
  const found = fullPrivate ? await scanTradeKeys(c, opts.scan ?? 10, report) : await restoreByIdentity(c, report);
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
  report({ stage: 'processing-roles', trades: all.length });
  const now = c.now();
  const restored: TradeRecord[] = [];
  for (const o of all) {
    const key = c.session.key(o.index);
    const d = details.get(o.id) ?? null;
    const side =
      d?.buyer_trade_pubkey === key.publicKey ? 'buyer' : d?.seller_trade_pubkey === key.publicKey ? 'seller' : null;
    const kind: OrderKind = d?.kind ?? 'sell';
    const role = side === null ? 'maker' : (kind === 'sell') === (side === 'seller') ? 'maker' : 'taker';
    const t = newTrade({
      orderId: o.id,
      nodePubkey: c.node,
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
  report({ stage: 'finalizing' });
  await c.session.update((d) => {
    if (max > d.lastTradeIndex) d.lastTradeIndex = max;
    for (const t of restored) d.trades[t.orderId] = { ...t, ...(d.trades[t.orderId] ?? {}), status: t.status };
  });
  // Replay what the node told each trade key, to recover invoices, counterparty and next steps.
  const oldest = Math.min(now, ...restored.map((t) => t.order?.created_at ?? now - 15 * 86_400));
  if (restored.length > 0) await (await c.watch(() => {}, { since: oldest - 60 })).close();
  report(restored.length === 0 ? { stage: 'no-previous-data' } : { stage: 'completed', trades: restored.length });
  return { lastTradeIndex: max, trades: restored.map((t) => c.trade(t.orderId)), disputes: data.disputes };
}
