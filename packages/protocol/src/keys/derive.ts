// Mostro keys: NIP-06 style path with account 38383, m/44'/1237'/38383'/0/i.
// Index 0 is the identity key (reputation, restore); indexes >= 1 are per-trade keys.
import { bytesToHex } from '@noble/hashes/utils.js';
import { HDKey } from '@scure/bip32';
import { nobleSecp } from '../crypto/secp.ts';
import { mnemonicToSeed } from './mnemonic.ts';

export const MOSTRO_ACCOUNT = 38383;
export const mostroKeyPath = (index: number): string => `m/44'/1237'/${MOSTRO_ACCOUNT}'/0/${index}`;

export interface DerivedKey {
  index: number;
  path: string;
  secretKey: Uint8Array;
  /** x-only public key, lowercase hex. */
  publicKey: string;
}

/** Derive the key at any path from a seed (used for the NIP-06 `m/44'/1237'/0'/0/0` check too). */
export function deriveFromSeed(seed: Uint8Array, path: string): { secretKey: Uint8Array; publicKey: string } {
  const node = HDKey.fromMasterSeed(seed).derive(path);
  if (!node.privateKey) throw new Error(`no private key at ${path}`);
  return { secretKey: node.privateKey, publicKey: bytesToHex(nobleSecp.getPublicKey(node.privateKey)) };
}

/** Non-hardened child indexes only (BIP-32 limit 2^31 - 1). */
function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > 0x7fffffff) {
    throw new RangeError(`trade index must be an integer in [0, 2^31): ${index}`);
  }
}

/** Key `index` of a mnemonic (validated). Index 0 = identity. */
export function deriveTradeKey(mnemonic: string, index: number): DerivedKey {
  checkIndex(index);
  return deriveTradeKeyFromSeed(mnemonicToSeed(mnemonic), index);
}

/** Same from an already computed seed: PBKDF2 runs once for many indexes. */
export function deriveTradeKeyFromSeed(seed: Uint8Array, index: number): DerivedKey {
  checkIndex(index);
  const path = mostroKeyPath(index);
  return { index, path, ...deriveFromSeed(seed, path) };
}

export const deriveIdentityKey = (mnemonic: string): DerivedKey => deriveTradeKey(mnemonic, 0);
