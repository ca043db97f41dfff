import { type AuthenticatedLnd, cancelHodlInvoice } from 'lightning';
import { fail, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { getHoldInvoice, isHash } from './get-hold-invoice.ts';

/** Cancels the hold invoice (returning an accepted HTLC to the payer). Idempotent when already canceled. */
export async function cancelHoldInvoice(lnd: AuthenticatedLnd, hash: string): Promise<LnResult<void>> {
  if (!isHash(hash)) return fail('not_found', `not a payment hash: ${JSON.stringify(hash)}`);
  // LND cancels a settled invoice's bookkeeping without error in some versions; refuse explicitly.
  const current = await getHoldInvoice(lnd, hash);
  if (!current.ok) return current;
  if (current.value.state === 'settled') return fail('invalid_state', 'cancelHoldInvoice: invoice is already settled');
  if (current.value.state === 'canceled') return ok(undefined);
  try {
    await cancelHodlInvoice({ lnd, id: hash.toLowerCase() });
    return ok(undefined);
  } catch (err) {
    const e = lndError('cancelHoldInvoice', err);
    return fail(e.code, e.message);
  }
}
