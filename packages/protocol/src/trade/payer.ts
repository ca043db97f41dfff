// Payer declaration hashes (reference-0.20.md §1.8): the buyer commits to who pays the fiat
// without revealing it. Canonicalising the payer details is the client's (the protocol book's
// rules); these functions take the canonical string as given.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { ProtocolError } from '../message/errors.ts';
import { canonicalUuid } from '../message/uuid.ts';

const PAYMENT_HASH = /^[0-9a-f]{64}$/;

/** Exactly 64 lowercase hex characters (uppercase is refused, as mostrod does). */
export const isValidPaymentHash = (value: unknown): value is string =>
  typeof value === 'string' && PAYMENT_HASH.test(value);

/** Reputation mode: the same payer gives the same hash on every order, so history can follow it. */
export function payerHash(canonical: string): string {
  return bytesToHex(sha256(utf8ToBytes(`mostro-payer-v1|${canonical}`)));
}

/** Full privacy: bound to one order (lowercase hyphenated UUID), so two orders cannot be linked. */
export function orderBoundPayerHash(orderId: string, canonical: string): string {
  const id = canonicalUuid(orderId);
  if (id === null) throw new ProtocolError('invalid_value', 'orderId', 'expected a UUID');
  return bytesToHex(sha256(utf8ToBytes(`mostro-payer-order-v1|${id}|${canonical}`)));
}
