// restore-session (protocol.md §2.5, reference-0.20.md §4.6): every non-terminal order and open
// dispute of the identity, each order with the other party's trade key (null while untaken).
// Deliberate difference from the reference: its exclusion list misspells the admin/cooperative
// terminal statuses, so it returns finished orders; we exclude every terminal status — except an
// order that still owes the user a slashed bond's share (reference-0.20.md §4.6).
import type { RestoredDisputesInfo, RestoredOrdersInfo } from '@mostro/protocol';
import { openClaims } from '../bonds/known.ts';
import { listDisputesForOrders } from '../db/disputes.ts';
import type { OrderRow } from '../db/orders.ts';
import { findOrdersByMasterPubkey, findOrdersByTradePubkey, TERMINAL_ORDER_STATUSES } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export async function restoreSession(ctx: AppContext, request: Request): Promise<void> {
  const byId = new Map<string, OrderRow>();
  for (const o of [
    ...findOrdersByMasterPubkey(ctx.db, request.identity),
    ...findOrdersByTradePubkey(ctx.db, request.sender),
  ]) {
    byId.set(o.id, o);
  }
  const mine = [...byId.values()];
  const isSeller = (o: OrderRow): boolean =>
    o.master_seller_pubkey === request.identity || o.seller_pubkey === request.sender;
  // A finished order that still owes this user a slashed bond's share stays, so it can be claimed.
  const claims = openClaims(ctx);
  const owesMe = (o: OrderRow): boolean =>
    claims.some((b) => b.order_id === o.id && b.payout_recipient === (isSeller(o) ? o.seller_pubkey : o.buyer_pubkey));
  const live = mine.filter((o) => !TERMINAL_ORDER_STATUSES.includes(o.status) || owesMe(o));
  const tradeIndexOf = (o: OrderRow): number => (isSeller(o) ? o.trade_index_seller : o.trade_index_buyer) ?? 0;

  const orders: RestoredOrdersInfo[] = live
    .filter((o) => o.status !== 'dispute')
    .map((o) => ({
      order_id: o.id,
      trade_index: tradeIndexOf(o),
      status: o.status,
      counterparty_trade_pubkey: (isSeller(o) ? o.buyer_pubkey : o.seller_pubkey) ?? null,
    }));
  const liveById = new Map(live.map((o) => [o.id, o]));
  const disputes: RestoredDisputesInfo[] = listDisputesForOrders(ctx.db, [...liveById.keys()])
    .filter((d) => d.status === 'initiated' || d.status === 'in-progress')
    .map((d) => ({
      dispute_id: d.id,
      order_id: d.order_id,
      trade_index: tradeIndexOf(liveById.get(d.order_id)!),
      status: d.status,
      initiator: d.initiator,
      solver_pubkey: d.solver_pubkey,
    }));
  await reply(ctx, request, 'restore-session', { request_id: null, payload: { restore_data: { orders, disputes } } });
}
