// A dispute the parties settle themselves (reference-0.20.md §4.7): the seller releases, or both
// agree to cancel, while it is open. The dispute closes as `released` / `cooperatively-canceled`
// (`settled` / `seller-refunded` stay the solver's outcomes), its 38386 is republished, and the
// solver who took it is told, so it stops working on a case that is over.
import type { Action } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { message } from '../app/messages.ts';
import { closeDisputeRow } from './close.ts';

const SOLVER_NOTICE: Record<'released' | 'cooperatively-canceled', Action> = {
  released: 'released',
  'cooperatively-canceled': 'cooperative-cancel-accepted',
};

/**
 * Not async on purpose: the dispute's row, its 38386 and the solver's notice are all written (outbox
 * rows) before this returns, so inside `transaction()` they commit with the caller's state change.
 */
export function closeDisputeByParties(
  ctx: AppContext,
  orderId: string,
  status: 'released' | 'cooperatively-canceled',
): Promise<void> {
  const closed = closeDisputeRow(ctx, orderId, status);
  if (!closed) return Promise.resolve();
  const written = [ctx.publish.dispute(closed)];
  if (closed.solver_pubkey) {
    written.push(
      ctx.outbox.send(
        { pubkey: closed.solver_pubkey, transport: ctx.settings.mostro.transport },
        message(SOLVER_NOTICE[status], { id: orderId, payload: { dispute: [closed.id, null] } }),
      ),
    );
  }
  return Promise.all(written).then(() => {});
}
