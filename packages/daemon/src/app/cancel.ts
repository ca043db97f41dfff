// cancel (protocol.md §5.10): what a cancel means depends on the order's status and on who sends it.
// The decision is persisted before the hold invoice is touched, so a crash in between leaves an
// intent that start-up reconciliation completes (see escrow/reconcile.ts). Each decision commits in
// one transaction with the messages and events it causes (outbox rows): both, or neither.

import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { closeDisputeByParties } from '../disputes/user-resolution.ts';
import { LightningEscrow } from '../escrow/escrow.ts';
import { OrderConflict, setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, notify, otherRole, queueOrderEvent, reply, roleOf } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { returnToBook } from './republish.ts';
import type { Request } from './request.ts';

const ALREADY_CANCELED = new Set(['canceled', 'cooperatively-canceled', 'canceled-by-admin']);

export async function cancel(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  if (ALREADY_CANCELED.has(order.status)) throw new CantDo('order_already_canceled');
  switch (order.status) {
    case 'pending':
    case 'waiting-taker-bond':
      return cancelPending(ctx, request, order);
    case 'waiting-payment':
    case 'waiting-buyer-invoice':
      return cancelTaken(ctx, request, order);
    case 'active':
    case 'fiat-sent':
    case 'dispute':
      return cooperativeCancel(ctx, request, order);
    default:
      throw new CantDo('not_allowed_by_status');
  }
}

async function cancelPending(ctx: AppContext, request: Request, order: OrderRow): Promise<void> {
  if (order.creator_pubkey !== request.sender) throw new CantDo('is_not_your_order');
  transaction(ctx.db, () => {
    const canceled = setOrder(ctx, order, { status: 'canceled' });
    void reply(ctx, request, 'canceled', { id: order.id });
    queueOrderEvent(ctx, canceled);
  });
}

async function cancelTaken(ctx: AppContext, request: Request, order: OrderRow): Promise<void> {
  const role = roleOf(order, request.sender);
  if (!role) throw new CantDo('invalid_pubkey');
  if (role === makerRole(order)) {
    // Told with the decision, before the refund: the refund sweep finishes a failed cancel anyway.
    const canceled = transaction(ctx.db, () => {
      const o = setOrder(ctx, order, { status: 'canceled', cancel_initiator_pubkey: request.sender });
      void notify(ctx, o, 'buyer', 'canceled');
      void notify(ctx, o, 'seller', 'canceled');
      queueOrderEvent(ctx, o);
      return o;
    });
    await refund(ctx, canceled);
    return;
  }
  // The taker backs out: the order goes back on the book for someone else. The hold invoice is
  // canceled first, under the escrow's lock, so a seller's payment arriving meanwhile is either
  // refunded by this cancel or finds the order already back on the book (and is refunded then).
  const backOut = async (fresh: OrderRow | undefined) => {
    if (!fresh || fresh.status !== order.status) throw new OrderConflict(order.id);
    await (ctx.escrow instanceof LightningEscrow ? ctx.escrow.cancelHoldLocked(fresh) : ctx.escrow.cancelHold(fresh));
    transaction(ctx.db, () => {
      void reply(ctx, request, 'canceled', { id: order.id });
      returnToBook(ctx, fresh);
    });
  };
  if (ctx.escrow instanceof LightningEscrow) await ctx.escrow.exclusive(order.id, backOut);
  else await backOut(order);
}

/** Refunds the seller of an order already decided canceled; a failed call is finished by the refund sweep. */
async function refund(ctx: AppContext, order: OrderRow): Promise<void> {
  try {
    await ctx.escrow.cancelHold(order);
  } catch (error) {
    ctx.log.warn(`cancel: hold of order ${order.id} not canceled yet; the refund sweep retries`, error);
  }
}

async function cooperativeCancel(ctx: AppContext, request: Request, order: OrderRow): Promise<void> {
  const role = roleOf(order, request.sender);
  if (!role) throw new CantDo('invalid_pubkey');
  const initiator = order.cancel_initiator_pubkey;
  if (initiator === null) {
    transaction(ctx.db, () => {
      setOrder(ctx, order, {
        cancel_initiator_pubkey: request.sender,
        ...(role === 'buyer' ? { buyer_cooperativecancel: true } : { seller_cooperativecancel: true }),
      });
      void reply(ctx, request, 'cooperative-cancel-initiated-by-you', { id: order.id });
      void notify(ctx, order, otherRole(role), 'cooperative-cancel-initiated-by-peer');
    });
    return;
  }
  if (initiator === request.sender) throw new CantDo('invalid_pubkey');

  const canceled = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, {
      status: 'cooperatively-canceled',
      ...(role === 'buyer' ? { buyer_cooperativecancel: true } : { seller_cooperativecancel: true }),
    });
    void closeDisputeByParties(ctx, order.id, 'cooperatively-canceled');
    void notify(ctx, o, 'buyer', 'cooperative-cancel-accepted');
    void notify(ctx, o, 'seller', 'cooperative-cancel-accepted');
    queueOrderEvent(ctx, o);
    return o;
  });
  await refund(ctx, canceled);
}
