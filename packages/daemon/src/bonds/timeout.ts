// Slashing on a waiting-state timeout (protocol.md §5.12, `slash_on_waiting_timeout`): the party
// that let its step time out loses its locked bond and the other party may claim the share. The
// decision is persisted before the order changes (so the bond job cannot release it first); the
// settle follows.
import type { AppContext } from '../app/context.ts';
import { type BondRow, listBondsOfOrder } from '../db/bonds.ts';
import type { OrderRow } from '../db/orders.ts';
import type { Role } from '../orders/small-order.ts';
import { carryOutSlash, decideSlash } from './hold.ts';
import { winnerShareSats } from './policy.ts';

export function decideTimeoutSlash(ctx: AppContext, order: OrderRow, atFault: Role): BondRow | null {
  if (!ctx.settings.anti_abuse_bond.enabled || !ctx.settings.anti_abuse_bond.slash_on_waiting_timeout) return null;
  const key = atFault === 'buyer' ? order.buyer_pubkey : order.seller_pubkey;
  const bond = listBondsOfOrder(ctx.db, order.id).find((b) => b.state === 'locked' && b.pubkey === key);
  if (!bond) return null;
  const winner = atFault === 'buyer' ? order.seller_pubkey : order.buyer_pubkey;
  const transport =
    (atFault === 'buyer' ? order.seller_transport : order.buyer_transport) ?? ctx.settings.mostro.transport;
  return decideSlash(ctx, bond, {
    reason: 'timeout',
    recipient: winner ? { pubkey: winner, transport } : null,
    winnerSats: winnerShareSats(ctx.settings, bond.amount_sats),
  });
}

export async function carryOutTimeoutSlash(ctx: AppContext, bond: BondRow | null): Promise<void> {
  if (!bond) return;
  await carryOutSlash(ctx, bond).catch((error) => ctx.log.warn(`bond ${bond.id}: slash left for the bond job`, error));
}
