// Who may act on a dispute (protocol.md §7.2, §7.3). Solvers act from their own key in full private
// mode (identity = sender = the solver's key), so the solver is `request.identity`.
import type { CantDoReason, DisputeStatus } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { CantDo } from '../app/errors.ts';
import type { Request } from '../app/request.ts';
import type { DisputeRow } from '../db/disputes.ts';
import { getDisputeByOrder } from '../db/disputes.ts';
import type { OrderRow } from '../db/orders.ts';
import { getUser, type SolverPermission } from '../db/users.ts';

export const OPEN_DISPUTE_STATUSES: readonly DisputeStatus[] = ['initiated', 'in-progress'];

export const isOpen = (dispute: DisputeRow): boolean => OPEN_DISPUTE_STATUSES.includes(dispute.status);

/** Is `pubkey` one of the order's trade keys or identities? */
export function isPartyOf(order: OrderRow, pubkey: string): boolean {
  return [order.buyer_pubkey, order.seller_pubkey, order.master_buyer_pubkey, order.master_seller_pubkey].includes(
    pubkey,
  );
}

/** The permission of `pubkey`: the node key acts with full rights; null for a non-solver. */
export function solverPermission(ctx: AppContext, pubkey: string): SolverPermission | null {
  if (pubkey === ctx.nodePubkey) return 'read-write';
  const user = getUser(ctx.db, pubkey);
  return user?.is_solver ? (user.solver_permission ?? 'read') : null;
}

/**
 * May `taker` take `dispute` (§7.2)? The node key, an open dispute; any solver, an `initiated` one;
 * the solver already assigned (taking again re-sends the information); a read-write solver, an
 * `in-progress` dispute held by a read-only solver.
 */
export function mayTake(ctx: AppContext, dispute: DisputeRow, taker: string): boolean {
  if (!isOpen(dispute)) return false;
  if (taker === ctx.nodePubkey) return true;
  const permission = solverPermission(ctx, taker);
  if (permission === null) return false;
  if (dispute.status === 'initiated' || dispute.solver_pubkey === taker) return true;
  const holder = dispute.solver_pubkey;
  return (
    permission === 'read-write' &&
    holder !== null &&
    holder !== ctx.nodePubkey &&
    solverPermission(ctx, holder) === 'read'
  );
}

/**
 * The dispute of `order` if the request comes from its assigned solver with the right to decide
 * (§7.3): another solver → is_not_your_dispute (dispute_taken_by_admin when the node key holds it);
 * a read-only solver → not_authorized. An order without a dispute cannot be decided by anyone:
 * `statusReason` (settle: invalid_order_status, cancel: not_allowed_by_status).
 */
export function requireDecidingSolver(
  ctx: AppContext,
  request: Request,
  order: OrderRow,
  statusReason: CantDoReason,
): DisputeRow {
  const dispute = getDisputeByOrder(ctx.db, order.id);
  if (!dispute) throw new CantDo(statusReason);
  const caller = request.identity;
  if (dispute.solver_pubkey !== caller) {
    throw new CantDo(dispute.solver_pubkey === ctx.nodePubkey ? 'dispute_taken_by_admin' : 'is_not_your_dispute');
  }
  if (solverPermission(ctx, caller) !== 'read-write') throw new CantDo('not_authorized');
  return dispute;
}
