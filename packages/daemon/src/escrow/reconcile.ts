// Start-up reconciliation: before the node accepts new messages, every order whose money is not in a
// final place is compared with the Lightning backend and moved forward from what both say:
//  - hold invoices open or accepted in our books: a seller who paid while we were down gets the
//    trade started; a hold of an order that no longer wants it is canceled (refund); one the node
//    canceled on its own cancels the trade; an intent whose invoice never got created is redone;
//  - settles decided (status settled-hold-invoice) but not confirmed are settled;
//  - payouts in flight are asked by hash (never re-sent); a payout never started is started.
// Anything the backend cannot answer now is left as it is (fail closed) and counted in `unresolved`;
// the jobs keep trying.
import type { OrderRow } from '../db/orders.ts';
import { getOrder, listOrdersByHoldState, listOrdersByStatus } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import type { EscrowContext } from './ports.ts';

export interface ReconcileReport {
  holdsChecked: number;
  settlesRetried: number;
  payoutsChecked: number;
  unresolved: string[];
}

/** The escrow's entry points reconciliation drives (each takes the order's lock itself). */
export interface ReconcileDeps {
  readonly ctx: EscrowContext;
  refreshHold(order: OrderRow): Promise<HoldInvoice | null>;
  watch(order: OrderRow): void;
  finishSettle(orderId: string): Promise<void>;
  payBuyer(orderId: string): Promise<void>;
}

/** Run through `escrow.reconcile()` (the node does, at start). */
export async function reconcileEscrow(escrow: ReconcileDeps): Promise<ReconcileReport> {
  const { ctx } = escrow;
  const report: ReconcileReport = { holdsChecked: 0, settlesRetried: 0, payoutsChecked: 0, unresolved: [] };
  const unresolved = new Set<string>();

  const live = [...listOrdersByHoldState(ctx.db, 'open'), ...listOrdersByHoldState(ctx.db, 'accepted')];
  for (const order of live) {
    try {
      const hold = await escrow.refreshHold(order);
      report.holdsChecked++;
      const fresh = getOrder(ctx.db, order.id);
      if (hold && fresh && (fresh.hold_state === 'open' || fresh.hold_state === 'accepted')) escrow.watch(fresh);
      if (!hold && fresh?.hash && fresh.hold_state !== 'canceled') unresolved.add(order.id);
    } catch (error) {
      ctx.log.warn(`reconcile: hold of order ${order.id}`, error);
      unresolved.add(order.id);
    }
  }

  for (const order of listOrdersByStatus(ctx.db, 'settled-hold-invoice')) {
    try {
      if (order.hold_state === 'accepted') {
        report.settlesRetried++;
        await escrow.finishSettle(order.id);
      }
      report.payoutsChecked++;
      await escrow.payBuyer(order.id);
      const fresh = getOrder(ctx.db, order.id);
      if (fresh?.status === 'settled-hold-invoice' && fresh.payout_state === 'in_flight') unresolved.add(order.id);
    } catch (error) {
      ctx.log.warn(`reconcile: payout of order ${order.id}`, error);
      unresolved.add(order.id);
    }
  }
  report.unresolved = [...unresolved];
  return report;
}
