// Messages about a bond to the party that pays it or to the one that may claim it: bond messages
// go to the trade key stored with the bond, which for a racing taker is not on the order yet.
import type { Action, SmallOrder } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { type MessageFields, message } from '../app/messages.ts';
import type { BondRow } from '../db/bonds.ts';
import type { OrderRow } from '../db/orders.ts';
import { smallOrder } from '../orders/small-order.ts';

/** Sends to the bonded party (synchronous outbox row: safe inside a transaction). */
export function tellBonded(ctx: AppContext, bond: BondRow, action: Action, fields: MessageFields = {}): void {
  void ctx.outbox.send(
    { pubkey: bond.pubkey, transport: bond.transport },
    message(action, { id: bond.order_id, ...fields }),
  );
}

/** Sends to the party that may claim the bond's share. */
export function tellClaimant(ctx: AppContext, bond: BondRow, action: Action, fields: MessageFields = {}): void {
  if (!bond.payout_recipient) return;
  void ctx.outbox.send(
    { pubkey: bond.payout_recipient, transport: bond.payout_transport ?? ctx.settings.mostro.transport },
    message(action, { id: bond.order_id, ...fields }),
  );
}

/** The order as a bond message shows it: `amount` = the sats concerned. */
export function bondOrder(order: OrderRow, amount: number, status: SmallOrder['status'] = order.status): SmallOrder {
  return { ...smallOrder(order), amount, status };
}

/** `pay-bond-invoice` (§5.12): SmallOrder with status "pending" and the bond's amount, the invoice. */
export function sendPayBondInvoice(ctx: AppContext, bond: BondRow, order: OrderRow): void {
  if (!bond.request) return;
  tellBonded(ctx, bond, 'pay-bond-invoice', {
    request_id: bond.request_id === null ? null : BigInt(bond.request_id),
    trade_index: bond.trade_index,
    payload: { payment_request: [bondOrder(order, bond.amount_sats, 'pending'), bond.request, null] },
  });
}

/** `add-bond-invoice` to the winner: the share and when it was slashed (the claim window's start). */
export function askForClaimInvoice(ctx: AppContext, bond: BondRow, order: OrderRow): void {
  tellClaimant(ctx, bond, 'add-bond-invoice', {
    payload: { bond_payout_request: { order: bondOrder(order, bond.payout_sats), slashed_at: bond.closed_at ?? 0 } },
  });
}
