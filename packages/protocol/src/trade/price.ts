// Market-price orders (protocol.md §5.4): sats computed at take time in f64 with ONE truncation at
// the end, exactly as mostrod does, so both sides agree to the sat.
import { ProtocolError } from '../message/errors.ts';
import { rustAsI64 } from './round.ts';

/**
 * Sats for `fiatAmount` at `price` (fiat per 1 BTC) with an integer `premium` percent:
 * s = fiat / price × 1e8; s = s − premium/100 × s (if premium ≠ 0); trunc(s).
 * A positive premium gives FEWER sats for the same fiat.
 */
export function marketSats(fiatAmount: number, price: number, premium: number): number {
  if (!Number.isSafeInteger(fiatAmount)) throw new ProtocolError('invalid_value', 'fiatAmount', 'expected an integer');
  if (!Number.isFinite(price) || price <= 0) throw new ProtocolError('invalid_value', 'price', 'expected a price > 0');
  if (!Number.isSafeInteger(premium)) throw new ProtocolError('invalid_value', 'premium', 'expected an integer');
  const sats = (fiatAmount / price) * 1e8;
  const adjusted = premium !== 0 ? sats - (premium / 100) * sats : sats;
  return rustAsI64(adjusted);
}
