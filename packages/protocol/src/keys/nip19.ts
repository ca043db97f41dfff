// NIP-19 conversions and lenient key parsing (hex or bech32) for user-facing input.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import * as nip19 from 'nostr-tools/nip19';
import { nobleSecp } from '../crypto/secp.ts';

const HEX64 = /^[0-9a-fA-F]{64}$/;

export const toNpub = (publicKeyHex: string): string => nip19.npubEncode(publicKeyHex);
export const toNsec = (secretKey: Uint8Array): string => nip19.nsecEncode(secretKey);

/** A secret key from 64 hex chars or an nsec; null when it is neither or not a valid scalar. */
export function parseSecretKey(input: string): Uint8Array | null {
  const s = input.trim();
  let sk: Uint8Array | null = null;
  if (HEX64.test(s)) sk = hexToBytes(s.toLowerCase());
  else if (s.startsWith('nsec1')) {
    try {
      const d = nip19.decode(s);
      if (d.type === 'nsec') sk = d.data;
    } catch {
      return null;
    }
  }
  if (!sk) return null;
  try {
    nobleSecp.getPublicKey(sk); // rejects 0 and values >= n
    return sk;
  } catch {
    return null;
  }
}

/** A public key (lowercase hex) from 64 hex chars or an npub; null otherwise. */
export function parsePublicKey(input: string): string | null {
  const s = input.trim();
  if (HEX64.test(s)) return s.toLowerCase();
  if (s.startsWith('npub1')) {
    try {
      const d = nip19.decode(s);
      return d.type === 'npub' ? d.data : null;
    } catch {
      return null;
    }
  }
  return null;
}

export const publicKeyOf = (secretKey: Uint8Array): string => bytesToHex(nobleSecp.getPublicKey(secretKey));
