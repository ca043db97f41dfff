// A new order with maker bonds on (protocol.md §5.12, reference-0.20.md §4.9): the order is stored
// as `waiting-maker-bond` (never published) and the maker gets `pay-bond-invoice`; it is acked
// with `new-order` and published only once the bond locks (lock.ts). An unpaid bond expires the
// order after `maker_bond_payment_timeout_seconds` (jobs.ts).
import type { AppContext } from '../app/context.ts';
import type { Request } from '../app/request.ts';
import type { OrderRow } from '../db/orders.ts';
import { EscrowError } from '../escrow/error.ts';
import { setOrder } from '../orders/update.ts';
import { createBond } from './hold.ts';
import { sendPayBondInvoice } from './notify.ts';
import { bondSats } from './policy.ts';
import { watchBond } from './watch.ts';

/** `orderSats`: the order's size in sats (range orders: at max_amount, at today's price). */
export async function requestMakerBond(
  ctx: AppContext,
  request: Request,
  order: OrderRow,
  orderSats: number,
): Promise<void> {
  const created = await createBond(
    ctx,
    {
      order_id: order.id,
      role: 'maker',
      pubkey: request.sender,
      transport: request.transport,
      amount_sats: bondSats(ctx.settings, orderSats),
      take: null,
      request_id: request.message.request_id === null ? null : String(request.message.request_id),
      trade_index: request.message.trade_index,
    },
    ctx.settings.anti_abuse_bond.maker_bond_payment_timeout_seconds,
    (bond) => sendPayBondInvoice(ctx, bond, order),
  );
  if (!created.ok) {
    setOrder(ctx, order, { status: 'canceled' }, 'waiting-maker-bond');
    throw new EscrowError(order.id, 'bond.add', created.error);
  }
  watchBond(ctx, created.bond);
}
