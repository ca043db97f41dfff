// Pieces shared by both transports: conversation keys through the optional cache, safe decryption,
// tuple parsing into typed failures, and the trade-signature check.
import { bytesToHex } from '@noble/hashes/utils.js';
import { type ConversationKeyCache, conversationKey, nip44Decrypt } from '../crypto/nip44.ts';
import { nobleSecp, type SecpBackend } from '../crypto/secp.ts';
import type { ContentTuple } from '../message/canonical.ts';
import type { Transport } from '../message/enums.ts';
import { isProtocolError } from '../message/errors.ts';
import { verifyMessageSignature } from '../message/sign.ts';
import type { Layers, OptionalVerdict, TransportChecks, TransportErrorCode, TransportFailure } from './types.ts';

export function convKey(
  secretKey: Uint8Array,
  myPub: string,
  peerPub: string,
  secp: SecpBackend,
  cache?: ConversationKeyCache,
): Uint8Array {
  return cache ? cache.get(secretKey, myPub, peerPub, secp) : conversationKey(secretKey, peerPub, secp);
}

/** Decrypt, or null when the key does not fit (MAC failure) or the peer key is not a point. */
export function tryDecrypt(payload: string, key: () => Uint8Array): string | null {
  try {
    return nip44Decrypt(payload, key());
  } catch {
    return null;
  }
}

export const myPublicKey = (secretKey: Uint8Array, secp: SecpBackend = nobleSecp, given?: string): string =>
  given ?? bytesToHex(secp.getPublicKey(secretKey));

export function fail(
  code: TransportErrorCode,
  detail: string,
  transport: Transport,
  layers: Layers,
  checks: Partial<TransportChecks>,
  cause?: unknown,
): TransportFailure {
  const f: TransportFailure = { ok: false, code, detail, transport, layers, checks };
  if (isProtocolError(cause)) f.cause = cause;
  return f;
}

/** Parse the tuple with the message half's strict parser; any failure is `malformed_content`. */
export function parseTuple(
  parse: (json: string) => ContentTuple,
  plaintext: string,
): ContentTuple | { error: unknown } {
  try {
    return parse(plaintext);
  } catch (error) {
    return { error };
  }
}

export function tradeSignatureVerdict(t: ContentTuple, sender: string, secp: SecpBackend): OptionalVerdict {
  if (t.tradeSig === null) return 'absent';
  return verifyMessageSignature(t.message, t.tradeSig, sender, secp) ? 'valid' : 'invalid';
}
