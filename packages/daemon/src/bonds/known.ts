// Keys the node is trading with because of a bond (reference-0.20.md §2.2, §4.6): a taker whose bond
// is racing or locked, and the winner of a slashed bond that may still claim its share. They are
// "known" (no first-contact PoW), and restore-session keeps orders that still owe them a share.
import type { AppContext } from '../app/context.ts';
import { type BondRow, listBondsByState, listUnpaidClaims } from '../db/bonds.ts';
import { claimOpen } from './claim.ts';

/** Claims still payable: slashed, with a recipient, unpaid, within the window. */
export function openClaims(ctx: AppContext): BondRow[] {
  return listUnpaidClaims(ctx.db).filter((b) => claimOpen(ctx, b));
}

export function bondKeys(ctx: AppContext): string[] {
  const bonded = listBondsByState(ctx.db, ['creating', 'requested', 'locked']).map((b) => b.pubkey);
  return [...bonded, ...openClaims(ctx).map((b) => b.payout_recipient!)];
}

export function tiedByBond(ctx: AppContext, key: string): boolean {
  return bondKeys(ctx).includes(key);
}
