// Range orders (protocol.md §5.4, §5.5): the taker's fiat amount must lie in [min, max]; after a
// slice is released the remainder continues as a child order.
import { ProtocolError } from '../message/errors.ts';

/** A take of a range order is valid iff min ≤ x ≤ max (else mostrod answers out_of_range_sats_amount). */
export function isWithinRange(minAmount: number, maxAmount: number, fiatAmount: number): boolean {
  return Number.isFinite(fiatAmount) && minAmount <= fiatAmount && fiatAmount <= maxAmount;
}

/** Fiat terms of the child order; the rest (new UUID, status pending, amount 0, same maker) is the node's. */
export interface ChildOrderTerms {
  min_amount: number | null;
  max_amount: number | null;
  fiat_amount: number;
}

/**
 * new_max = max − taken. new_max > min ⇒ range child [min, new_max]; new_max == min ⇒ fixed child
 * of new_max fiat; new_max < min ⇒ no child (null).
 */
export function childOrderTerms(minAmount: number, maxAmount: number, fiatAmountTaken: number): ChildOrderTerms | null {
  for (const [name, v] of [
    ['minAmount', minAmount],
    ['maxAmount', maxAmount],
    ['fiatAmountTaken', fiatAmountTaken],
  ] as const) {
    if (!Number.isSafeInteger(v)) throw new ProtocolError('invalid_value', name, 'expected an integer');
  }
  const newMax = maxAmount - fiatAmountTaken;
  if (newMax > minAmount) return { min_amount: minAmount, max_amount: newMax, fiat_amount: 0 };
  if (newMax === minAmount) return { min_amount: null, max_amount: null, fiat_amount: newMax };
  return null;
}

/**
 * Whether the maker should announce its next trade key (`next_trade`) with release / fiat-sent:
 * only when a child order will exist (mostro-cli: max − taken ≥ min).
 */
export function needsNextTrade(minAmount: number, maxAmount: number, fiatAmountTaken: number): boolean {
  return maxAmount - fiatAmountTaken >= minAmount;
}
