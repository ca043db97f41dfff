// Building and addressing the node's messages: replies go to the key that asked, in the transport it
// used; notifications go to an order party's trade key in the transport that party last used.
import type { Action, CantDoReason, Message, Payload, Transport } from '@mostro/protocol';
import { newMessage, wrapperForAction } from '@mostro/protocol';
import type { OrderRow } from '../db/orders.ts';
import type { Role } from '../orders/small-order.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';

export type { AmountView, Role } from '../orders/small-order.ts';
export { smallOrder } from '../orders/small-order.ts';

export interface MessageFields {
  id?: string;
  payload?: Payload | null;
  trade_index?: number | null;
  request_id?: bigint | null;
}

export function message(action: Action, fields: MessageFields = {}): Message {
  return newMessage(wrapperForAction(action, fields.payload), { action, ...fields });
}

/** Answers the sender of `request`, echoing its request_id. */
export function reply(ctx: AppContext, request: Request, action: Action, fields: MessageFields = {}): Promise<void> {
  const m = message(action, { request_id: request.message.request_id, ...fields });
  return ctx.outbox.send({ pubkey: request.sender, transport: request.transport }, m);
}

export function replyCantDo(ctx: AppContext, request: Request, reason: CantDoReason | null): Promise<void> {
  return reply(ctx, request, 'cant-do', { id: request.message.id, payload: { cant_do: reason } });
}

export function partyKey(order: OrderRow, role: Role): string | null {
  return role === 'buyer' ? order.buyer_pubkey : order.seller_pubkey;
}

export function partyTransport(ctx: AppContext, order: OrderRow, role: Role): Transport {
  return (role === 'buyer' ? order.buyer_transport : order.seller_transport) ?? ctx.settings.mostro.transport;
}

/** Sends to one party of an order (no-op when that side is not set yet). */
export function notify(
  ctx: AppContext,
  order: OrderRow,
  role: Role,
  action: Action,
  fields: MessageFields = {},
): Promise<void> {
  const pubkey = partyKey(order, role);
  if (!pubkey) return Promise.resolve();
  return ctx.outbox.send(
    { pubkey, transport: partyTransport(ctx, order, role) },
    message(action, { id: order.id, ...fields }),
  );
}

/**
 * Queues the order's revision: the publisher writes its outbox row before returning and throws when
 * it cannot, so inside `transaction()` the revision commits with the state change, or neither does.
 */
export function queueOrderEvent(ctx: AppContext, order: OrderRow): void {
  void ctx.publish.order(order);
}

export function roleOf(order: OrderRow, tradeKey: string): Role | null {
  if (order.buyer_pubkey === tradeKey) return 'buyer';
  if (order.seller_pubkey === tradeKey) return 'seller';
  return null;
}

export const otherRole = (role: Role): Role => (role === 'buyer' ? 'seller' : 'buyer');

export function makerRole(order: OrderRow): Role {
  return order.kind === 'sell' ? 'seller' : 'buyer';
}
