// The node's trade log: one info line per accepted action — the action, the order's short id and
// the status it is in now. Nothing else: no keys (trade or identity) and no amounts, so a
// full-private order's log line tells no more than its public 38383 event.
import { getDispute } from '../db/disputes.ts';
import { getOrder, type OrderRow } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';

/** `handled` is what the handler returned: the order it created, when the request named none. */
export function activityLine(ctx: AppContext, request: Request, handled: OrderRow | undefined): string {
  const action = request.message.action;
  const order = handled ?? orderNamedBy(ctx, request.message.id ?? null);
  return order ? tradeLine(action, order) : action;
}

/** The same line for what Lightning did to a trade (the seller paid, the buyer was paid). */
export const tradeLine = (what: string, order: OrderRow): string => `${what} ${order.id.slice(0, 8)} → ${order.status}`;

/** The order a request's id names: an order id, or a dispute id (solver actions) for its order. */
function orderNamedBy(ctx: AppContext, id: string | null): OrderRow | undefined {
  if (id === null) return undefined;
  const order = getOrder(ctx.db, id);
  if (order) return order;
  const dispute = getDispute(ctx.db, id);
  return dispute ? getOrder(ctx.db, dispute.order_id) : undefined;
}
