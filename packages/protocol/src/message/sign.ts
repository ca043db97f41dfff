// Trade signatures and v2 identity proofs (protocol.md §1.2). Both are BIP-340 Schnorr over a
// SHA-256 digest of the CANONICAL message JSON: verifiers re-serialize the parsed message rather
// than hashing received bytes, exactly as mostro-core does, so signer and verifier must agree on
// serializeMessage() byte for byte.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { nobleSecp, type SecpBackend } from '../crypto/secp.ts';
import { serializeMessage } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import type { Message } from './types.ts';

/** Domain separation prefix of the v2 identity proof. */
export const IDENTITY_PROOF_DOMAIN = 'mostro-transport-v2-identity:';

export interface SignOptions {
  /** secp256k1 implementation; defaults to @noble/curves. */
  secp?: SecpBackend;
  /** BIP-340 auxiliary randomness (32 bytes); fresh randomness when omitted. Inject only in tests. */
  aux?: Uint8Array;
}

const HEX = (bytes: number) => new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`);
const HEX32 = HEX(32);
const HEX64 = HEX(64);

function secretKeyBytes(key: Uint8Array | string, what: string): Uint8Array {
  if (key instanceof Uint8Array && key.length === 32) return key;
  if (typeof key === 'string' && HEX32.test(key)) return hexToBytes(key.toLowerCase());
  throw new ProtocolError('invalid_hex', '', `${what} must be 32 bytes or 64 hex characters`);
}

function pubkeyHex(key: string, what: string): string {
  if (typeof key !== 'string' || !HEX32.test(key)) {
    throw new ProtocolError('invalid_hex', '', `${what} must be 64 hex characters`);
  }
  return key.toLowerCase();
}

/** SHA-256 of the canonical message JSON: the 32 bytes a trade signature signs. */
export function messageDigest(m: Message): Uint8Array {
  return sha256(utf8ToBytes(serializeMessage(m)));
}

/** Trade signature (128 lowercase hex chars) of `m` by the trade key. */
export function signMessage(m: Message, tradeSecretKey: Uint8Array | string, options: SignOptions = {}): string {
  const secp = options.secp ?? nobleSecp;
  return bytesToHex(
    secp.schnorrSign(messageDigest(m), secretKeyBytes(tradeSecretKey, 'trade secret key'), options.aux),
  );
}

/** Never throws: malformed input, unserializable messages and bad signatures all answer false. */
function verifyDigest(digest: () => Uint8Array, sigHex: string, pubHex: string, secp: SecpBackend): boolean {
  if (typeof sigHex !== 'string' || !HEX64.test(sigHex) || typeof pubHex !== 'string' || !HEX32.test(pubHex)) {
    return false;
  }
  let hash: Uint8Array;
  try {
    hash = digest();
  } catch {
    return false;
  }
  try {
    return secp.schnorrVerify(hexToBytes(sigHex.toLowerCase()), hash, hexToBytes(pubHex.toLowerCase()));
  } catch {
    return false;
  }
}

/** Verifies a trade signature over the RE-SERIALIZED canonical form of `m`. */
export function verifyMessageSignature(
  m: Message,
  sigHex: string,
  tradePubkeyHex: string,
  secp: SecpBackend = nobleSecp,
): boolean {
  return verifyDigest(() => messageDigest(m), sigHex, tradePubkeyHex, secp);
}

function messageText(message: Message | string): string {
  return typeof message === 'string' ? message : serializeMessage(message);
}

/**
 * SHA-256("mostro-transport-v2-identity:" + trade_pubkey_hex + ":" + message_json). Binding the
 * trade pubkey (the kind-14 author) stops a proof from being replayed under another trade key.
 */
export function identityProofDigest(tradePubkeyHex: string, messageJson: string): Uint8Array {
  const trade = pubkeyHex(tradePubkeyHex, 'trade pubkey');
  return sha256(utf8ToBytes(`${IDENTITY_PROOF_DOMAIN}${trade}:${messageJson}`));
}

/** Identity proof signature by the identity key (index 0). A string message is used verbatim. */
export function signIdentityProof(
  tradePubkeyHex: string,
  message: Message | string,
  identitySecretKey: Uint8Array | string,
  options: SignOptions = {},
): string {
  const secp = options.secp ?? nobleSecp;
  const digest = identityProofDigest(tradePubkeyHex, messageText(message));
  return bytesToHex(secp.schnorrSign(digest, secretKeyBytes(identitySecretKey, 'identity secret key'), options.aux));
}

/** Verifies an identity proof; a Message is re-serialized canonically first. Never throws. */
export function verifyIdentityProof(
  tradePubkeyHex: string,
  message: Message | string,
  identityPubkeyHex: string,
  identitySigHex: string,
  secp: SecpBackend = nobleSecp,
): boolean {
  return verifyDigest(
    () => identityProofDigest(tradePubkeyHex, messageText(message)),
    identitySigHex,
    identityPubkeyHex,
    secp,
  );
}
