// A dispute the parties settle themselves (reference-0.20.md §4.7): the seller releases, or both
// agree to cancel, while it is open. The dispute closes as `released` / `cooperatively-canceled`
// (`settled` / `seller-refunded` stay the solver's outcomes), its 38386 is republished, and the
// solver who took it is told, so it stops working on a case that is over.
import type { Action } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { message } from '../app/messages.ts';
import { closeDispute } from './close.ts';

const SOLVER_NOTICE: Record<'released' | 'cooperatively-canceled', Action> = {
  released: 'released',
  'cooperatively-canceled': 'cooperative-cancel-accepted',
};

export async function closeDisputeByParties(
  ctx: AppContext,
  orderId: string,
  status: 'released' | 'cooperatively-canceled',
): Promise<void> {
  const closed = await closeDispute(ctx, orderId, status);
  if (!closed?.solver_pubkey) return;
  await ctx.outbox.send(
    { pubkey: closed.solver_pubkey, transport: ctx.settings.mostro.transport },
    message(SOLVER_NOTICE[status], { id: orderId, payload: { dispute: [closed.id, null] } }),
  );
}
