// What the `[anti_abuse_bond]` settings mean for one order: whether a side pays a bond, its size and
// the node's share of a slashed one (protocol.md §5.12, reference-0.20.md §4.9). Pure.
import type { BondSettingsInfo } from '@mostro/protocol';
import type { Settings } from '../config/index.ts';

export type BondRole = 'maker' | 'taker';

/** The info event's bond tags (null = `bond_enabled` "false"). */
export function bondPolicy(settings: Settings): BondSettingsInfo | null {
  const b = settings.anti_abuse_bond;
  if (!b.enabled) return null;
  return {
    amount_pct: b.amount_pct,
    base_amount_sats: b.base_amount_sats,
    apply_to: b.apply_to,
    slash_on_waiting_timeout: b.slash_on_waiting_timeout,
    slash_node_share_pct: b.slash_node_share_pct,
    payout_claim_window_days: b.payout_claim_window_days,
  };
}

export function bondRequired(settings: Settings, role: BondRole): boolean {
  const b = settings.anti_abuse_bond;
  if (!b.enabled) return false;
  return b.apply_to === 'both' || b.apply_to === (role === 'maker' ? 'make' : 'take');
}

/** max(round(order sats × amount_pct), base_amount_sats). */
export function bondSats(settings: Settings, orderSats: number): number {
  const b = settings.anti_abuse_bond;
  return Math.max(Math.round(orderSats * b.amount_pct), b.base_amount_sats);
}

/** What the wronged party may claim of a slashed bond: the bond minus floor(bond × node share). */
export function winnerShareSats(settings: Settings, bond: number): number {
  return bond - Math.floor(bond * settings.anti_abuse_bond.slash_node_share_pct);
}

/** Until when (unix seconds) the winner of a bond slashed at `slashedAt` may claim its share. */
export function claimDeadline(settings: Settings, slashedAt: number): number {
  return slashedAt + settings.anti_abuse_bond.payout_claim_window_days * 86_400;
}
