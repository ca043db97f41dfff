// Counts of pending orders, for the caps on how many one maker and the whole node may hold. Orders
// waiting for a bond count too: an unpaid maker bond must not be a way around the caps.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

const PRE_TRADE = "('pending', 'waiting-taker-bond', 'waiting-maker-bond')";

export function countPendingOrders(db: Db): number {
  return (stmt(db, `SELECT COUNT(*) AS n FROM orders WHERE status IN ${PRE_TRADE}`).get() as { n: number }).n;
}

/** Pending orders made by `tradeKey`, or under `identity` (as its buyer or seller master key). */
export function countPendingOrdersOf(db: Db, tradeKey: string, identity: string | null): number {
  return (
    stmt(
      db,
      // `+status`: looked up by the maker's keys (a few rows each), not by status — the planner
      // otherwise walks every pending order of the node for each new order.
      `SELECT COUNT(*) AS n FROM orders WHERE +status IN ${PRE_TRADE}
         AND (creator_pubkey = ? OR master_buyer_pubkey = ? OR master_seller_pubkey = ?)`,
    ).get(tradeKey, identity, identity) as { n: number }
  ).n;
}
