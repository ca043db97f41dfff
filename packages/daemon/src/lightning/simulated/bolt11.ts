// BOLT-11 payment requests: encoded and signed for simulated wallets, decoded for any invoice.
// The byte layout is the `invoices` package's (written for `lightning`); the signature is a plain
// secp256k1 signature over its hash, so a decoder recovers the wallet's real node key.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import invoices from 'invoices';
import type { DecodedInvoice, LnResult } from '../backend.ts';
import { fail, ok } from '../backend.ts';

/** BOLT-11 caps the description field (a tagged field holds at most 1023 five-bit words). */
export const MAX_DESCRIPTION_BYTES = 639;
/** Longer than any invoice a wallet produces; keeps a hostile string from costing much to parse. */
const MAX_REQUEST_LENGTH = 8192;
// var_onion_optin (required), payment_secret (required), basic_mpp (optional): what LND puts in.
const FEATURES = [{ bit: 8 }, { bit: 14 }, { bit: 17 }];
const TIMESTAMP_WORDS = 7;
const SIGNATURE_WORDS = 104;
const PAYEE_TAG = 19; // 'n'

export interface EncodeInvoiceArgs {
  /** 32-byte secp256k1 secret key of the payee node: the request is signed with it. */
  nodeKey: Uint8Array;
  network: 'regtest' | 'bitcoin' | 'testnet' | 'signet' | 'simnet';
  hash: string; // hex sha256(preimage)
  amountMsat: bigint | null; // null = amountless
  description: string;
  createdAt: number; // unix seconds
  expirySeconds: number;
  cltvDelta: number;
  paymentSecret: string; // hex, 32 bytes
}

/** A signed BOLT-11 request. Throws only on arguments a caller should have validated. */
export function encodeInvoice(args: EncodeInvoiceArgs): string {
  const destination = bytesToHex(secp256k1.getPublicKey(args.nodeKey, true));
  const unsigned = invoices.createUnsignedRequest({
    cltv_delta: args.cltvDelta,
    created_at: new Date(args.createdAt * 1000).toISOString(),
    description: args.description,
    destination,
    expires_at: new Date((args.createdAt + args.expirySeconds) * 1000).toISOString(),
    features: FEATURES,
    id: args.hash,
    mtokens: args.amountMsat === null ? undefined : args.amountMsat.toString(),
    network: args.network,
    payment: args.paymentSecret,
  });
  const signature = secp256k1.sign(hexToBytes(unsigned.hash), args.nodeKey, { prehash: false, format: 'compact' });
  return invoices.createSignedRequest({
    destination,
    hrp: unsigned.hrp,
    signature: bytesToHex(signature),
    tags: unsigned.tags,
  }).request;
}

/** Decodes any BOLT-11 request (not only ours); never throws. */
export function decodeInvoice(request: string): LnResult<DecodedInvoice> {
  if (typeof request !== 'string' || request.length === 0 || request.length > MAX_REQUEST_LENGTH) {
    return fail('invalid_invoice', 'not a BOLT-11 payment request');
  }
  const text = request.trim().replace(/^lightning:/i, '');
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) {
    return fail('invalid_invoice', 'mixed-case payment request');
  }
  try {
    return fromParsed(text.toLowerCase());
  } catch (e) {
    return fail('invalid_invoice', `cannot decode payment request: ${(e as Error).message}`);
  }
}

function fromParsed(request: string): LnResult<DecodedInvoice> {
  const parsed = invoices.parsePaymentRequest({ request });
  const payee = payeeTag(request);
  if (payee !== null && payee !== parsed.destination) {
    return fail('invalid_invoice', 'signature does not match the payee node key');
  }
  const createdAt = Math.floor(Date.parse(parsed.created_at) / 1000);
  const expiresAt = Math.floor(Date.parse(parsed.expires_at) / 1000);
  if (!/^[0-9a-f]{64}$/.test(parsed.id ?? '') || !Number.isFinite(createdAt) || !Number.isFinite(expiresAt)) {
    return fail('invalid_invoice', 'payment request lacks a payment hash or timestamps');
  }
  const amountMsat = BigInt(parsed.mtokens || '0');
  return ok({
    network: parsed.network,
    hash: parsed.id,
    amountMsat: amountMsat === 0n ? null : amountMsat,
    createdAt,
    expirySeconds: expiresAt - createdAt,
    minFinalCltvExpiry: parsed.cltv_delta,
    destination: parsed.destination,
    description: parsed.description ?? '',
  });
}

/** The explicit payee key ('n' field) when the request carries one, else null. */
function payeeTag(request: string): string | null {
  const { words } = bech32.decode(request as `${string}1${string}`, false);
  const tags = words.slice(TIMESTAMP_WORDS, words.length - SIGNATURE_WORDS);
  for (let i = 0; i + 3 <= tags.length; ) {
    const type = tags[i]!;
    const length = tags[i + 1]! * 32 + tags[i + 2]!;
    const data = tags.slice(i + 3, i + 3 + length);
    if (type === PAYEE_TAG && length === 53) return bytesToHex(bech32.fromWordsUnsafe(data) ?? new Uint8Array());
    i += 3 + length;
  }
  return null;
}
