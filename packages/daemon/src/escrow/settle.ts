// Settling the seller's hold invoice (release or a solver's settle): the decision is persisted
// before the call. Every function here runs with the order's escrow lock held (see escrow.ts).

import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import { OrderConflict, setOrder } from '../orders/update.ts';
import { EscrowError } from './error.ts';
import { onHoldUpdate } from './hold-update.ts';
import type { EscrowDeps } from './ports.ts';

export async function settle(escrow: EscrowDeps, order: OrderRow): Promise<OrderRow> {
  const { ctx } = escrow;
  const fresh = getOrder(ctx.db, order.id);
  if (!fresh || fresh.status !== order.status) throw new OrderConflict(order.id);
  if (!fresh.preimage || fresh.hold_state !== 'accepted') {
    throw new EscrowError(order.id, 'hold.settle', null, `hold invoice is ${fresh.hold_state ?? 'missing'}`);
  }
  // Before taking the seller's sats: will the buyer's invoice be payable? (journaled; acted on
  // after a failed first attempt, see payoutFailed in payout.ts.)
  const probe = await escrow.probe(fresh);
  const decided = transaction(ctx.db, () => {
    const o = setOrder(ctx, fresh, { status: 'settled-hold-invoice' });
    escrow.journal(o.id, 'hold.settle', { from: fresh.status, probe: probe.verdict });
    return o;
  });
  return settleCall(escrow, decided);
}

export async function settleCall(escrow: EscrowDeps, order: OrderRow): Promise<OrderRow> {
  const r = await escrow.ctx.lightning.settleHoldInvoice(order.preimage!);
  if (!r.ok) {
    escrow.journal(order.id, 'hold.settle.failed', r.error);
    if (r.error.code === 'invalid_state' || r.error.code === 'not_found') await refreshLocked(escrow, order);
    throw new EscrowError(order.id, 'hold.settle', r.error);
  }
  const settled = setOrder(escrow.ctx, order, { hold_state: 'settled' });
  escrow.journal(order.id, 'hold.settled', {});
  return settled;
}

async function refreshLocked(escrow: EscrowDeps, order: OrderRow): Promise<void> {
  const r = await escrow.ctx.lightning.getHoldInvoice(order.hash!);
  if (r.ok) await onHoldUpdate(escrow, order.id, r.value);
}
