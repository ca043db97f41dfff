// Shared pieces of the simulated-network tests: a hand-moved clock, preimages, the money check.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { SimulatedNetwork } from '../../src/lightning/simulated/network.ts';

export class TestClock {
  constructor(public t = 1_700_000_000) {}
  now(): number {
    return this.t;
  }
  advance(seconds: number): void {
    this.t += seconds;
  }
}

export function preimagePair(): { preimage: string; hash: string } {
  const p = randomBytes(32);
  return { preimage: bytesToHex(p), hash: bytesToHex(sha256(p)) };
}

/** minted = balances + in flight + fees: no msat created or lost. */
export function assertConserved(net: SimulatedNetwork): void {
  const a = net.audit();
  assert.equal(a.balancesMsat + a.inFlightMsat + a.feesMsat, a.mintedMsat, 'money is conserved');
}

export function balance(net: SimulatedNetwork, name: string): bigint {
  const w = net.wallet(name);
  assert.ok(w.ok);
  return w.value.balanceMsat;
}
