// Market-price orders (protocol.md §5.4, reference-0.20.md §4.12 #1090): sats computed in f64 with
// ONE rounding to the nearest sat at the end, exactly as mostrod 0.20 does, so both sides agree.
import { ProtocolError } from '../message/errors.ts';
import { rustRound } from './round.ts';

/**
 * Sats for `fiatAmount` at `price` (fiat per 1 BTC) with an integer `premium` percent:
 * s = fiat / price × 1e8; s = s − premium/100 × s (if premium ≠ 0); round(s), halves away from zero.
 * A positive premium gives FEWER sats for the same fiat.
 */
export function marketSats(fiatAmount: number, price: number, premium: number): number {
  if (!Number.isSafeInteger(fiatAmount)) throw new ProtocolError('invalid_value', 'fiatAmount', 'expected an integer');
  if (!Number.isFinite(price) || price <= 0) throw new ProtocolError('invalid_value', 'price', 'expected a price > 0');
  if (!Number.isSafeInteger(premium)) throw new ProtocolError('invalid_value', 'premium', 'expected an integer');
  const sats = (fiatAmount / price) * 1e8;
  const adjusted = premium !== 0 ? sats - (premium / 100) * sats : sats;
  return rustRound(adjusted);
}

/** Stablecoins priced as US dollars (fiat amount in whole coins). */
export const USD_PEGGED_CODES = ['USDT', 'USDC', 'DOC'] as const;
/** Bitcoin in other wrappers: the fiat amount is in sats, 1e8 per BTC. */
export const BTC_PEGGED_CODES = ['BTC', 'LBTC', 'RBTC'] as const;
export const PEGGED_CODES = [...BTC_PEGGED_CODES, ...USD_PEGGED_CODES] as const;
export type PeggedCode = (typeof PEGGED_CODES)[number];

export const isBtcPegged = (code: string): boolean =>
  (BTC_PEGGED_CODES as readonly string[]).includes(code.toUpperCase());

/**
 * The price of a pegged code per 1 BTC, given the USD price: BTC-pegged codes are 1e8 (sats),
 * USD-pegged ones the USD price; null for a code that is not pegged (or no USD price yet).
 */
export function peggedPrice(code: string, usdPrice: number | null): number | null {
  if (isBtcPegged(code)) return 1e8;
  if ((USD_PEGGED_CODES as readonly string[]).includes(code.toUpperCase())) return usdPrice;
  return null;
}
