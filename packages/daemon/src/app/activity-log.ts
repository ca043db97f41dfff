// The node's trade log: one info line per accepted action (orders/trade-line.ts: the action, the
// order's short id and the status it is in now; no keys, no amounts).
import { getDispute } from '../db/disputes.ts';
import { getOrder, type OrderRow } from '../db/orders.ts';
import { tradeLine } from '../orders/trade-line.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';

/** `handled` is what the handler returned: the order it created, when the request named none. */
export function activityLine(ctx: AppContext, request: Request, handled: OrderRow | undefined): string {
  const action = request.message.action;
  const order = handled ?? orderNamedBy(ctx, request.message.id ?? null);
  return order ? tradeLine(action, order) : action;
}

/** The order a request's id names: an order id, or a dispute id (solver actions) for its order. */
function orderNamedBy(ctx: AppContext, id: string | null): OrderRow | undefined {
  if (id === null) return undefined;
  const order = getOrder(ctx.db, id);
  if (order) return order;
  const dispute = getDispute(ctx.db, id);
  return dispute ? getOrder(ctx.db, dispute.order_id) : undefined;
}
