// Passphrase → key. scrypt (memory-hard) from @noble/hashes; the parameters travel with each blob so
// that they can be raised later without breaking old files.
import { scryptAsync } from '@noble/hashes/scrypt.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^17 × 8 × 128 B = 128 MiB of memory per guess; about a second on one core here. */
export const STRONG_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export function isAcceptableScrypt(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return (
    Number.isInteger(N) &&
    N >= 2 ** 10 &&
    N <= 2 ** 22 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16
  );
}

export function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptAsync(passphrase.normalize('NFKC'), salt, { ...params, dkLen: 32, maxmem: 2 ** 31 });
}
