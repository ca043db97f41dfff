// The amount to send for an invoice: its own amount, or the caller's for an amountless invoice.
import { fail, type LnResult, ok } from '../backend.ts';
import type { LndDecoded } from './decode-invoice.ts';

export function amountToPay(
  raw: LndDecoded,
  amountSats: number | undefined,
): LnResult<{ tokens: number; amountless: boolean }> {
  const invoiceMsat = BigInt(raw.mtokens ?? '0');
  if (amountSats !== undefined && !(Number.isSafeInteger(amountSats) && amountSats > 0)) {
    return fail('invalid_invoice', `amount must be a positive whole number of sats, got ${amountSats}`);
  }
  if (invoiceMsat === 0n) {
    if (amountSats === undefined) return fail('invalid_invoice', 'amountless invoice: an amount is required');
    return ok({ tokens: amountSats, amountless: true });
  }
  if (amountSats !== undefined && BigInt(amountSats) * 1000n !== invoiceMsat) {
    return fail('invalid_invoice', `invoice amount is ${invoiceMsat} msat, not ${amountSats} sats`);
  }
  return ok({ tokens: raw.tokens, amountless: false });
}
