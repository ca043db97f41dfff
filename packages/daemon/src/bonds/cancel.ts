// `cancel` while bonds are involved (reference-0.20.md §4.9, protocol.md §5.10): a maker may cancel
// an order still waiting for its bond; in waiting-taker-bond the maker cancels the order (racing
// takers are released and told) and a prospective taker undoes only its own take.
import type { AppContext } from '../app/context.ts';
import { CantDo } from '../app/errors.ts';
import { escrowOf } from '../app/escrow.ts';
import { reply } from '../app/messages.ts';
import type { Request } from '../app/request.ts';
import { LIVE_BOND_STATES, listBondsOfOrder } from '../db/bonds.ts';
import type { OrderRow } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import { releaseBond } from './hold.ts';
import { backToPendingIfNobodyRaces } from './lock.ts';
import { bondLockKey } from './lock-key.ts';
import { tellBonded } from './notify.ts';

export function cancelWaitingMakerBond(ctx: AppContext, request: Request, order: OrderRow): Promise<void> {
  if (order.creator_pubkey !== request.sender) throw new CantDo('is_not_your_order');
  return escrowOf(ctx).lock.run(bondLockKey(order.id), async () => {
    const bonds = listBondsOfOrder(ctx.db, order.id).filter((b) => b.role === 'maker');
    if (bonds.some((b) => b.state === 'locked')) throw new CantDo('not_allowed_by_status');
    // Never published, so only the database changes; the bond is given back after the decision.
    setOrder(ctx, order, { status: 'canceled' }, 'waiting-maker-bond');
    for (const bond of bonds) await releaseBond(ctx, bond, 'maker canceled');
    await reply(ctx, request, 'canceled', { id: order.id });
  });
}

/** A prospective taker's cancel in waiting-taker-bond; false when the sender has no bond here. */
export async function cancelOwnTake(ctx: AppContext, request: Request, order: OrderRow): Promise<boolean> {
  const mine = listBondsOfOrder(ctx.db, order.id).filter(
    (b) => b.role === 'taker' && b.pubkey === request.sender && ['creating', 'requested'].includes(b.state),
  );
  if (mine.length === 0) return false;
  await escrowOf(ctx).lock.run(bondLockKey(order.id), async () => {
    for (const bond of mine) await releaseBond(ctx, bond, 'taker canceled');
    await reply(ctx, request, 'canceled', { id: order.id });
    await backToPendingIfNobodyRaces(ctx, order.id);
  });
  return true;
}

/** Gives back every bond of an order that ended (the bond job would, later); racing takers are told. */
export function releaseBondsOfEndedOrder(
  ctx: AppContext,
  orderId: string,
  tellRacing: 'canceled' | 'admin-canceled' = 'canceled',
): Promise<void> {
  if (listBondsOfOrder(ctx.db, orderId).length === 0) return Promise.resolve();
  return escrowOf(ctx).lock.run(bondLockKey(orderId), async () => {
    for (const bond of listBondsOfOrder(ctx.db, orderId)) {
      if (!LIVE_BOND_STATES.includes(bond.state) || bond.state === 'slashing') continue;
      const wasRacing = bond.role === 'taker' && bond.state !== 'locked';
      await releaseBond(ctx, bond, 'order ended');
      if (wasRacing) tellBonded(ctx, bond, tellRacing);
    }
  });
}
