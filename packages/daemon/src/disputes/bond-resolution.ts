// The optional `bond_resolution` payload of admin-settle / admin-cancel (§7.3, §5.12): the solver
// may slash the seller's and/or the buyer's locked bond. A flag for a side without a locked bond is
// invalid_payload, as the reference answers. The decision is persisted (`slashing`) before the
// order's own decision, so the bond job never releases a bond the solver meant to slash; the settle
// itself runs after (carryOutSlash), and a failed call is retried by the bond job.
import type { MessageKind } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { CantDo } from '../app/errors.ts';
import { carryOutSlash, decideSlash } from '../bonds/hold.ts';
import { winnerShareSats } from '../bonds/policy.ts';
import { type BondRow, getBond, listBondsOfOrder } from '../db/bonds.ts';
import type { OrderRow } from '../db/orders.ts';
import type { Role } from '../orders/small-order.ts';

/** The locked bonds the solver asks to slash (checked, nothing written). */
export function bondsToSlash(ctx: AppContext, order: OrderRow, message: MessageKind): BondRow[] {
  const p = message.payload;
  if (!p || !('bond_resolution' in p)) return [];
  const sides: Role[] = [];
  if (p.bond_resolution.slash_seller) sides.push('seller');
  if (p.bond_resolution.slash_buyer) sides.push('buyer');
  const locked = listBondsOfOrder(ctx.db, order.id).filter((b) => b.state === 'locked');
  return sides.map((side) => {
    const key = side === 'seller' ? order.seller_pubkey : order.buyer_pubkey;
    const bond = locked.find((b) => b.pubkey === key);
    if (!bond) throw new CantDo('invalid_payload');
    return bond;
  });
}

/** Persists the slash of each bond; the other party may claim the share unless it is slashed too. */
export function decideSolverSlashes(ctx: AppContext, order: OrderRow, bonds: BondRow[]): BondRow[] {
  const slashedKeys = new Set(bonds.map((b) => b.pubkey));
  // A second call (a retried announcement) finds them decided already.
  const stillLocked = bonds.map((b) => getBond(ctx.db, b.id)).filter((b) => b?.state === 'locked') as BondRow[];
  return stillLocked.map((bond) => {
    const winnerRole: Role = bond.pubkey === order.seller_pubkey ? 'buyer' : 'seller';
    const winner = winnerRole === 'buyer' ? order.buyer_pubkey : order.seller_pubkey;
    const transport = winnerRole === 'buyer' ? order.buyer_transport : order.seller_transport;
    const recipient =
      winner && !slashedKeys.has(winner)
        ? { pubkey: winner, transport: transport ?? ctx.settings.mostro.transport }
        : null;
    return decideSlash(ctx, bond, {
      reason: 'solver',
      recipient,
      winnerSats: winnerShareSats(ctx.settings, bond.amount_sats),
    });
  });
}

/** Settles the decided slashes; a failure is logged and left to the bond job. */
export async function carryOutSlashes(ctx: AppContext, bonds: BondRow[]): Promise<void> {
  for (const bond of bonds) {
    await carryOutSlash(ctx, bond).catch((error) =>
      ctx.log.warn(`bond ${bond.id}: slash left for the bond job`, error),
    );
  }
}
