// The escrow as the handlers and jobs see it: built over the node's context, with the parties told
// through the handlers' messages and outbox (the escrow's PartyNotifier port).
import { type EscrowOptions, LightningEscrow } from '../escrow/escrow.ts';
import type { PartyNotifier } from '../escrow/ports.ts';
import type { AppContext } from './context.ts';
import { notify } from './messages.ts';
import { announceRelease, releasePending } from './release.ts';
import { peerReputation } from './reputation.ts';

/** "Tell the parties" for the escrow, over messages.ts and the outbox. */
export function partyNotifier(ctx: AppContext): PartyNotifier {
  return {
    notify: (order, role, action, fields) => notify(ctx, order, role, action, fields),
    peerReputation: (identity) => peerReputation(ctx, identity),
    announcePendingRelease: async (order) => {
      if (releasePending(ctx, order.id)) await announceRelease(ctx, order);
    },
  };
}

/** The escrow of a context built with `createEscrow` (jobs and handlers that need more than `Escrow`). */
export function escrowOf(ctx: AppContext): LightningEscrow {
  if (!(ctx.escrow instanceof LightningEscrow)) throw new Error('ctx.escrow is not a LightningEscrow');
  return ctx.escrow;
}

/** Builds the escrow for a context and installs it as `ctx.escrow`. */
export function createEscrow(ctx: AppContext, options: EscrowOptions = {}): LightningEscrow {
  const escrow = new LightningEscrow(ctx, partyNotifier(ctx), options);
  ctx.escrow = escrow;
  return escrow;
}
