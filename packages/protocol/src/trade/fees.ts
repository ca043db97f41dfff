// Mostro fees (protocol.md §5.6). The node's `fee` setting is the TOTAL fraction; each party pays
// half: the seller's hold invoice is amount + fee_party, the buyer receives amount − fee_party, and
// Mostro keeps 2 × fee_party, out of which it pays the dev fee and the payout routing fee.
// Example: 100 000 sats at fee 0.006 → fee_party 300, hold 100 300, payout 99 700, dev fee 180.
import { ProtocolError } from '../message/errors.ts';
import { rustRound } from './round.ts';

function checkAmount(amount: number, name: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new ProtocolError('invalid_value', name, 'expected a non-negative integer amount of sats');
  }
}

function checkFraction(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) throw new ProtocolError('invalid_value', name, 'expected a fraction ≥ 0');
}

/** Per-party fee: Rust `(fee × amount / 2).round()` (half away from zero). */
export function partyFee(fee: number, amount: number): number {
  checkFraction(fee, 'fee');
  checkAmount(amount, 'amount');
  return rustRound((fee * amount) / 2);
}

/** What the seller's hold invoice is for. */
export function holdInvoiceAmount(fee: number, amount: number): number {
  return amount + partyFee(fee, amount);
}

/** What the buyer's payout invoice must be for (or what an amountless invoice is paid). */
export function buyerPayoutAmount(fee: number, amount: number): number {
  return amount - partyFee(fee, amount);
}

/** Dev fee: round(2 × fee_party × dev_fee_percentage), paid by Mostro out of its own fee. */
export function devFee(feeParty: number, devFeePercentage: number): number {
  checkAmount(feeParty, 'feeParty');
  checkFraction(devFeePercentage, 'devFeePercentage');
  return rustRound(2 * feeParty * devFeePercentage);
}

/**
 * Maximum routing fee Mostro will pay for the buyer payout: max(1 % of amount, 10 sats) for amounts
 * up to 1000 sats (which is always 10 there), else amount × max_routing_fee, truncated to whole sats.
 */
export function routingFeeCap(amount: number, maxRoutingFee = 0.002): number {
  checkAmount(amount, 'amount');
  checkFraction(maxRoutingFee, 'maxRoutingFee');
  if (amount <= 1000) return Math.max(Math.trunc(amount / 100), 10);
  return Math.trunc(amount * maxRoutingFee);
}

export interface TradeAmounts {
  amount: number;
  feeParty: number;
  /** Seller pays this into escrow. */
  holdInvoice: number;
  /** Buyer receives this. */
  buyerPayout: number;
  /** Mostro's gross: 2 × feeParty. */
  mostroFee: number;
  devFee: number;
}

export function tradeAmounts(amount: number, fee: number, devFeePercentage = 0.3): TradeAmounts {
  const feeParty = partyFee(fee, amount);
  return {
    amount,
    feeParty,
    holdInvoice: amount + feeParty,
    buyerPayout: amount - feeParty,
    mostroFee: 2 * feeParty,
    devFee: devFee(feeParty, devFeePercentage),
  };
}
