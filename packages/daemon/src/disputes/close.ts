// Closing an open dispute once the order's money is decided, and publishing its new 38386 state.
import type { DisputeStatus } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import type { DisputeRow } from '../db/disputes.ts';
import { getDispute, getDisputeByOrder, updateDispute } from '../db/disputes.ts';
import { OPEN_DISPUTE_STATUSES } from './access.ts';

export type ClosedDisputeStatus = Extract<
  DisputeStatus,
  'settled' | 'seller-refunded' | 'released' | 'cooperatively-canceled'
>;

/**
 * Moves the order's dispute, if open, to `status` (database only, so it can share a transaction
 * with the order's change). Returns the closed row, or null when nothing open was there: callers
 * use that to do their once-only work exactly once.
 */
export function closeDisputeRow(ctx: AppContext, orderId: string, status: ClosedDisputeStatus): DisputeRow | null {
  const dispute = getDisputeByOrder(ctx.db, orderId);
  if (!dispute) return null;
  if (!updateDispute(ctx.db, dispute.id, { status }, { ifStatus: OPEN_DISPUTE_STATUSES })) return null;
  return getDispute(ctx.db, dispute.id)!;
}

/** closeDisputeRow, then the 38386 event. */
export async function closeDispute(
  ctx: AppContext,
  orderId: string,
  status: ClosedDisputeStatus,
): Promise<DisputeRow | null> {
  const closed = closeDisputeRow(ctx, orderId, status);
  if (closed) await ctx.publish.dispute(closed);
  return closed;
}
