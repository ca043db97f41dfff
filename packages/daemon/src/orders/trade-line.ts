// The node's trade log line: what happened, the order's short id and the status it is in now.
// Nothing else — no keys and no amounts — so a full-private order's line tells no more than its
// public 38383 event.
import type { OrderRow } from '../db/orders.ts';

export const tradeLine = (what: string, order: OrderRow): string => `${what} ${order.id.slice(0, 8)} → ${order.status}`;
