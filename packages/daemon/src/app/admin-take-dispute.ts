// admin-take-dispute (protocol.md §7.2): a solver (or the node key) takes a dispute, `id` = the
// dispute id. The solver gets everything it needs to decide (SolverDisputeInfo, to its own key);
// both parties learn the solver's key, which opens the solver ↔ party chat channels (§8.4).
import { getDispute, updateDispute } from '../db/disputes.ts';
import { transaction } from '../db/open.ts';
import { getOrder } from '../db/orders.ts';
import { isOpen, isPartyOf, mayTake, solverPermission } from '../disputes/access.ts';
import { solverDisputeInfo } from '../disputes/solver-info.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { message, notify } from './messages.ts';
import type { Request } from './request.ts';

export async function adminTakeDispute(ctx: AppContext, request: Request): Promise<void> {
  const disputeId = request.message.id;
  if (!disputeId) throw new CantDo('invalid_parameters');
  const dispute = getDispute(ctx.db, disputeId);
  if (!dispute) throw new CantDo('not_found');
  const solver = request.identity;
  // A stranger learns nothing about the dispute's state.
  if (solverPermission(ctx, solver) === null) throw new CantDo('invalid_pubkey');
  if (!isOpen(dispute)) throw new CantDo('invalid_dispute_status');
  if (!mayTake(ctx, dispute, solver)) throw new CantDo('invalid_pubkey');
  const order = getOrder(ctx.db, dispute.order_id);
  if (!order) throw new Error(`dispute ${dispute.id} names a missing order ${dispute.order_id}`);
  // Beyond the reference: nobody judges their own trade.
  if (isPartyOf(order, solver)) throw new CantDo('invalid_pubkey');

  const retake = dispute.status === 'in-progress' && dispute.solver_pubkey === solver;
  // The take and everyone's messages commit together.
  transaction(ctx.db, () => {
    if (!retake) {
      // Conditional on the status read, so a dispute closed meanwhile is not reopened.
      const won = updateDispute(
        ctx.db,
        dispute.id,
        { status: 'in-progress', solver_pubkey: solver, taken_at: ctx.clock.now() },
        { ifStatus: dispute.status },
      );
      if (!won) throw new CantDo('invalid_dispute_status');
    }
    const taken = getDispute(ctx.db, dispute.id)!;

    // To the solver's own key (its identity), even if it wrote from another key.
    const info = solverDisputeInfo(ctx, order, taken);
    void ctx.outbox.send(
      { pubkey: solver, transport: request.transport },
      message('admin-took-dispute', {
        id: taken.id,
        request_id: request.message.request_id,
        payload: { dispute: [taken.id, info] },
      }),
    );
    if (retake) return; // the parties know this solver already
    const peer = { peer: { pubkey: solver, reputation: null } };
    void notify(ctx, order, 'buyer', 'admin-took-dispute', { payload: peer });
    void notify(ctx, order, 'seller', 'admin-took-dispute', { payload: peer });
    void ctx.publish.dispute(taken);
  });
}
