// BIP-39 mnemonics (English). The checksum is always validated: @scure/bip39's seed function
// alone accepts any words (e.g. twelve times "tomato"), which would silently derive wrong keys.
import { mnemonicToSeedSync, generateMnemonic as scureGenerate, validateMnemonic as scureValidate } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

/** Normalized form: lowercase words separated by single spaces. */
export const normalizeMnemonic = (mnemonic: string): string => mnemonic.trim().toLowerCase().split(/\s+/).join(' ');

/** A fresh mnemonic: 12 words (128 bits, as mostro-cli) unless `words` says 24. */
export function generateMnemonic(words: 12 | 24 = 12): string {
  return scureGenerate(wordlist, words === 24 ? 256 : 128);
}

/** True when every word is in the English list and the checksum matches. */
export function validateMnemonic(mnemonic: string): boolean {
  return scureValidate(normalizeMnemonic(mnemonic), wordlist);
}

export class InvalidMnemonicError extends Error {
  readonly code = 'invalid_mnemonic';
  constructor() {
    super('invalid BIP-39 mnemonic (unknown word or bad checksum)');
    this.name = 'InvalidMnemonicError';
  }
}

/** BIP-39 seed with an empty passphrase (Mostro's choice); rejects an invalid mnemonic. */
export function mnemonicToSeed(mnemonic: string): Uint8Array {
  const normalized = normalizeMnemonic(mnemonic);
  if (!scureValidate(normalized, wordlist)) throw new InvalidMnemonicError();
  return mnemonicToSeedSync(normalized, '');
}
