// One way for handlers to change an order: conditional on the status they read, so two messages
// racing on one order cannot both move it; returns the fresh row.
import type { OrderStatus } from '@mostro/protocol';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { getOrder, updateOrder } from '../db/orders.ts';
import type { AppContext } from './context.ts';

export class OrderConflict extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} changed status concurrently`);
    this.name = 'OrderConflict';
  }
}

export function setOrder(
  ctx: AppContext,
  order: OrderRow,
  patch: OrderPatch,
  ifStatus: OrderStatus | readonly OrderStatus[] = order.status,
): OrderRow {
  if (!updateOrder(ctx.db, order.id, patch, { ifStatus, now: ctx.clock.now() })) throw new OrderConflict(order.id);
  return getOrder(ctx.db, order.id)!;
}
