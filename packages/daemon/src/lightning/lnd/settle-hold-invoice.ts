import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { type AuthenticatedLnd, settleHodlInvoice } from 'lightning';
import { fail, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { getHoldInvoice, isHash } from './get-hold-invoice.ts';

/** Settles the accepted hold invoice of sha256(preimage). Idempotent: an already settled one is ok. */
export async function settleHoldInvoice(lnd: AuthenticatedLnd, preimage: string): Promise<LnResult<void>> {
  if (!isHash(preimage)) return fail('not_found', 'settle: the preimage must be 32 bytes of hex');
  try {
    await settleHodlInvoice({ lnd, secret: preimage.toLowerCase() });
    return ok(undefined);
  } catch (err) {
    const e = lndError('settleHoldInvoice', err);
    // A retry after a lost reply must not look like a failure when the money did move.
    const current = await getHoldInvoice(lnd, bytesToHex(sha256(hexToBytes(preimage.toLowerCase()))));
    if (current.ok && current.value.state === 'settled') return ok(undefined);
    // An unexplained error on an invoice that cannot be settled (open or canceled) is a state
    // error; on an accepted one it stays 'unavailable': the settle may be retried.
    if (current.ok && e.code === 'unavailable' && current.value.state !== 'accepted') {
      return fail('invalid_state', `settleHoldInvoice: invoice is ${current.value.state} (${e.message})`);
    }
    return fail(e.code, e.message);
  }
}
