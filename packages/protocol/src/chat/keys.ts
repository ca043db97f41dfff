// Chat key material (protocol.md §8.1–§8.3): the per-order ECDH secret, the HKDF-separated
// K_conv / K_sign of the current format, and the raw shared key of the legacy format.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { nobleSecp, type SecpBackend } from '../crypto/secp.ts';

export interface KeyPair {
  secretKey: Uint8Array;
  /** x-only, lowercase hex. */
  publicKey: string;
}

export interface ChatKeys {
  /** NIP-44 self-encryption key; pub(K_conv) is the single `p` tag. Shareable read-only. */
  conv: KeyPair;
  /** Signs the outer kind 14; pub(K_sign) is the author receivers filter on. Never disclosed. */
  sign: KeyPair;
}

export const CHAT_INFO_CONV = 'mostro:chat:conv:v1';
export const CHAT_INFO_SIGN = 'mostro:chat:sign:v1';
const ZERO_SALT = new Uint8Array(32);

/** x of own_sk × lift_x(peer): unhashed, symmetric between the two parties. */
export function sharedSecret(secretKey: Uint8Array, peerPublicKey: string, secp: SecpBackend = nobleSecp): Uint8Array {
  return secp.ecdhX(secretKey, hexToBytes(peerPublicKey));
}

function checkShared(shared: Uint8Array): void {
  if (!(shared instanceof Uint8Array) || shared.length !== 32)
    throw new RangeError('chat shared secret must be 32 bytes');
}

/** HKDF-SHA256(ikm, salt = 32 zero bytes, info) retried with a counter byte until it is a valid scalar. */
function deriveScalar(shared: Uint8Array, info: string): Uint8Array {
  const base = utf8ToBytes(info);
  for (let counter = 0; counter < 256; counter++) {
    const fullInfo = counter === 0 ? base : concatBytes(base, Uint8Array.of(counter));
    const out = hkdf(sha256, shared, ZERO_SALT, fullInfo, 32);
    if (secp256k1.utils.isValidSecretKey(out)) return out;
  }
  throw new Error('chat key derivation exhausted its retries'); // probability ~2^-32000
}

const pair = (secretKey: Uint8Array): KeyPair => ({
  secretKey,
  publicKey: bytesToHex(nobleSecp.getPublicKey(secretKey)),
});

/** K_conv and K_sign from the ECDH shared secret (§8.2). */
export function chatKeys(shared: Uint8Array): ChatKeys {
  checkShared(shared);
  return { conv: pair(deriveScalar(shared, CHAT_INFO_CONV)), sign: pair(deriveScalar(shared, CHAT_INFO_SIGN)) };
}

/** Legacy format (§8.3): the shared secret itself is the key; its pubkey is the `p` tag. */
export function legacyChatKey(shared: Uint8Array): KeyPair {
  checkShared(shared);
  return pair(shared);
}
