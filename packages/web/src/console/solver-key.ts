// The solver's key from what the person typed: an nsec (or 64 hex), or 12/24 BIP-39 words read as
// the NIP-06 Nostr key (what most Nostr apps derive) or as the Mostro identity key (index 0 of the
// Mostro path). Null when the text is neither. Pure.
import {
  deriveFromSeed,
  deriveIdentityKey,
  mnemonicToSeed,
  normalizeMnemonic,
  parseSecretKey,
  validateMnemonic,
} from '@mostro/protocol';

export type KeySource = 'nsec' | 'mnemonic-nostr' | 'mnemonic-mostro';

/** NIP-06: m/44'/1237'/0'/0/0. */
const NOSTR_PATH = "m/44'/1237'/0'/0/0";

export function solverKeyFrom(source: KeySource, secret: string): Uint8Array | null {
  if (source === 'nsec') return parseSecretKey(secret.trim());
  const words = normalizeMnemonic(secret);
  if (!validateMnemonic(words)) return null;
  if (source === 'mnemonic-mostro') return deriveIdentityKey(words).secretKey;
  return deriveFromSeed(mnemonicToSeed(words), NOSTR_PATH).secretKey;
}
