import { type AuthenticatedLnd, getInvoice } from 'lightning';
import { fail, type HoldInvoice, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { toHoldInvoice } from './hold-invoice.ts';

export const isHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value);

export async function getHoldInvoice(lnd: AuthenticatedLnd, hash: string): Promise<LnResult<HoldInvoice>> {
  if (!isHash(hash)) return fail('not_found', `not a payment hash: ${JSON.stringify(hash)}`);
  try {
    return ok(toHoldInvoice(await getInvoice({ lnd, id: hash.toLowerCase() })));
  } catch (err) {
    const e = lndError('getHoldInvoice', err);
    return fail(e.code, e.message);
  }
}
