// Refuses invoices payable to this very node: LND would refuse to pay them, but a probe can still
// find a circular route, so both would disagree. One identity lookup per connection.
import { type AuthenticatedLnd, getIdentity } from 'lightning';
import { fail, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';

const identities = new WeakMap<AuthenticatedLnd, string>();

export async function notOwnInvoice(lnd: AuthenticatedLnd, destination: string): Promise<LnResult<void>> {
  let own = identities.get(lnd);
  if (!own) {
    try {
      own = (await getIdentity({ lnd })).public_key;
    } catch (err) {
      const e = lndError('getIdentity', err);
      return fail(e.code, e.message);
    }
    identities.set(lnd, own);
  }
  return destination === own ? fail('invalid_invoice', 'the invoice is payable to this node itself') : ok(undefined);
}
