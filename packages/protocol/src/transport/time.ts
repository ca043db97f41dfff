// Timestamps for NIP-59 layers: seal and wrap are moved back by a uniform random amount so that
// relays cannot correlate them with the real send time (the rumor keeps the real time).
import { randomBytes } from '@noble/hashes/utils.js';

export const TWO_DAYS = 172800;

/** Uniform integer in [0, n) by rejection sampling over 32 random bits (no modulo bias). */
export function randomBelow(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError('randomBelow: n must be in [1, 2^32]');
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const b = randomBytes(4);
    const x = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
    if (x < limit) return x % n;
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** created_at for a seal or a gift wrap: now − uniform [0, 172800). */
export const tweakedTime = (now: number = nowSeconds()): number => now - randomBelow(TWO_DAYS);
