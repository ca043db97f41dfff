import { type AuthenticatedLnd, createHodlInvoice } from 'lightning';
import { type AddHoldInvoiceArgs, fail, type HoldInvoice, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { getHoldInvoice, isHash } from './get-hold-invoice.ts';

const isPositiveInteger = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

export async function addHoldInvoice(lnd: AuthenticatedLnd, args: AddHoldInvoiceArgs): Promise<LnResult<HoldInvoice>> {
  if (!isHash(args.hash)) return fail('invalid_invoice', 'hold invoice: hash must be 32 bytes of hex');
  if (!isPositiveInteger(args.amountSats))
    return fail('invalid_invoice', 'hold invoice: amountSats must be a positive integer');
  if (!isPositiveInteger(args.expirySeconds))
    return fail('invalid_invoice', 'hold invoice: expirySeconds must be a positive integer');
  if (!isPositiveInteger(args.cltvDelta))
    return fail('invalid_invoice', 'hold invoice: cltvDelta must be a positive integer');
  const hash = args.hash.toLowerCase();
  let request: string;
  try {
    ({ request } = await createHodlInvoice({
      lnd,
      id: hash,
      tokens: args.amountSats,
      description: args.memo,
      expires_at: new Date(Date.now() + args.expirySeconds * 1000).toISOString(),
      cltv_delta: args.cltvDelta,
    }));
  } catch (err) {
    const e = lndError('addHoldInvoice', err);
    return fail(e.code, e.message);
  }
  // Report what LND stored (exact expiry); the invoice exists now even if this lookup fails.
  const stored = await getHoldInvoice(lnd, hash);
  if (stored.ok) return stored;
  return ok({
    hash,
    request,
    amountSats: args.amountSats,
    state: 'open',
    htlcExpiryHeight: null,
    expiresAt: Math.floor(Date.now() / 1000) + args.expirySeconds,
  });
}
