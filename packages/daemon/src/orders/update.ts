// One way to change an order: conditional on the status the caller read, so two messages (or a
// message and the escrow) racing on one order cannot both move it; returns the fresh row. Below
// both the handlers (app/) and the escrow, which both change orders through it.
import type { OrderStatus } from '@mostro/protocol';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import type { OrderPatch, OrderRow } from '../db/orders.ts';
import { getOrder, updateOrder } from '../db/orders.ts';

export class OrderConflict extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} changed status concurrently`);
    this.name = 'OrderConflict';
  }
}

/** What a status-conditional update needs: the database and the time it stamps. */
export interface OrderStore {
  db: Db;
  clock: Clock;
}

export function setOrder(
  store: OrderStore,
  order: OrderRow,
  patch: OrderPatch,
  ifStatus: OrderStatus | readonly OrderStatus[] = order.status,
): OrderRow {
  if (!updateOrder(store.db, order.id, patch, { ifStatus, now: store.clock.now() })) throw new OrderConflict(order.id);
  return getOrder(store.db, order.id)!;
}
