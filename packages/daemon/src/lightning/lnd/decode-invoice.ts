import { type AuthenticatedLnd, type DecodePaymentRequestResult, decodePaymentRequest } from 'lightning';
import { type DecodedInvoice, fail, type LnResult, ok } from '../backend.ts';
import { lndError } from './errors.ts';
import { networkOfRequest } from './network.ts';

// The package's typings omit two fields its decoder returns (documented in its JSDoc).
export type LndDecoded = DecodePaymentRequestResult & { created_at: string; is_expired: boolean };

const BOLT11_DEFAULT_MIN_FINAL_CLTV = 18;

/** Decodes with LND (so what it reports is what LND would pay) and keeps LND's raw view for paying. */
export async function decodeWithLnd(
  lnd: AuthenticatedLnd,
  request: string,
): Promise<LnResult<{ decoded: DecodedInvoice; raw: LndDecoded }>> {
  if (typeof request !== 'string' || request.trim() === '') return fail('invalid_invoice', 'empty payment request');
  const clean = request.trim().replace(/^lightning:/i, '');
  const network = networkOfRequest(clean);
  if (!network) return fail('invalid_invoice', 'not a BOLT-11 payment request');
  let raw: LndDecoded;
  try {
    raw = (await decodePaymentRequest({ lnd, request: clean })) as LndDecoded;
  } catch (err) {
    const e = lndError('decodeInvoice', err, 'invalid_invoice');
    if (/active network/i.test(e.message))
      return fail('invalid_invoice', `invoice is for ${network}, not this node's network`);
    return fail(e.code, e.message);
  }
  const createdAt = Math.floor(Date.parse(raw.created_at) / 1000);
  const mtokens = BigInt(raw.mtokens ?? '0');
  return ok({
    raw,
    decoded: {
      network,
      hash: raw.id,
      amountMsat: mtokens === 0n ? null : mtokens,
      createdAt,
      expirySeconds: Math.floor(Date.parse(raw.expires_at) / 1000) - createdAt,
      minFinalCltvExpiry: raw.cltv_delta ?? BOLT11_DEFAULT_MIN_FINAL_CLTV,
      destination: raw.destination,
      description: raw.description ?? '',
    },
  });
}

export async function decodeInvoice(lnd: AuthenticatedLnd, request: string): Promise<LnResult<DecodedInvoice>> {
  const result = await decodeWithLnd(lnd, request);
  return result.ok ? ok(result.value.decoded) : result;
}
