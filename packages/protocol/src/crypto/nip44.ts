// NIP-44 v2 with the conversation key computed through a SecpBackend (so the wasm backend serves
// the ECDH), and a small LRU of conversation keys for a node that hears the same peers repeatedly.
import { extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { v2 } from 'nostr-tools/nip44';
import { nobleSecp, type SecpBackend } from './secp.ts';

const NIP44_SALT = utf8ToBytes('nip44-v2');

/** NIP-44 v2 conversation key: HKDF-extract(salt "nip44-v2", ECDH x). Symmetric in the two parties. */
export function conversationKey(
  secretKey: Uint8Array,
  peerPublicKey: string | Uint8Array,
  secp: SecpBackend = nobleSecp,
): Uint8Array {
  const pub = typeof peerPublicKey === 'string' ? hexToBytes(peerPublicKey) : peerPublicKey;
  return extract(sha256, secp.ecdhX(secretKey, pub), NIP44_SALT);
}

/** Encrypt with a conversation key (random nonce; `nonce` only for test vectors). */
export const nip44Encrypt = (plaintext: string, convKey: Uint8Array, nonce?: Uint8Array): string =>
  v2.encrypt(plaintext, convKey, nonce);

/** Decrypt with a conversation key; throws when the MAC, padding or encoding is wrong. */
export const nip44Decrypt = (payload: string, convKey: Uint8Array): string => v2.decrypt(payload, convKey);

/**
 * Bounded LRU of conversation keys keyed by (our pubkey, peer pubkey). The secret key itself is
 * never part of the key of the map: our pubkey identifies it.
 */
export class ConversationKeyCache {
  readonly #entries = new Map<string, Uint8Array>();
  readonly #capacity: number;
  hits = 0;
  misses = 0;

  constructor(capacity = 1024) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The conversation key for (secretKey whose pubkey is ourPub, peer), computed once. */
  get(secretKey: Uint8Array, ourPub: string, peerPub: string, secp: SecpBackend = nobleSecp): Uint8Array {
    const id = `${ourPub}:${peerPub}`;
    const found = this.#entries.get(id);
    if (found) {
      this.hits++;
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.#entries.delete(id);
      this.#entries.set(id, found);
      return found;
    }
    this.misses++;
    const key = conversationKey(secretKey, peerPub, secp);
    this.#entries.set(id, key);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return key;
  }

  clear(): void {
    this.#entries.clear();
  }
}

export { bytesToHex, hexToBytes };
