// Message-layer benchmark: canonical serialize+parse, trade signature sign and verify, each beside
// the primitive it is built on (JSON.stringify/parse; raw @noble BIP-340 over a 32-byte digest),
// measured in the same run. ratio = ours / baseline (1.0 = no overhead; 0.5 = half the speed).
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { parseMessage, serializeMessage, signMessage, verifyMessageSignature } from '../packages/protocol/src/index.ts';
import { pair } from './measure.ts';
import type { BenchResult } from './result.ts';

const SAMPLE =
  '{"order":{"version":2,"request_id":1,"trade_index":3,"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","action":"pay-invoice","payload":{"payment_request":[{"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","kind":"sell","status":"waiting-payment","amount":100,"fiat_code":"eur","min_amount":null,"max_amount":null,"fiat_amount":100,"payment_method":"Face to face","premium":1,"created_at":1627371434,"expires_at":null},"lnbcrt78510n1pj59wmepp50677g8tffdqa2p8882y0x6newny5vtz0hjuyngdwv226nanv4uzsdqqcqzzsxqyz5vqsp5skn973360gp4yhlpmefwvul5hs58lkkl3u3ujvt57elmp4zugp4q9qyyssqw4nzlr72w28k4waycf27qvgzc9sp79sqlw83j56txltz4va44j7jda23ydcujj9y5k6k0rn5ms84w8wmcmcyk5g3mhpqepf7envhdccp72nz6e",null]}}}';

export async function benchMessages(): Promise<BenchResult[]> {
  const message = parseMessage(SAMPLE);
  const plain = JSON.parse(SAMPLE) as unknown;
  const secretKey = hexToBytes('977b9da8056e6a83a991cb31ac507b0a618fbbee355e36e107e0e348686ab833');
  const publicKey = schnorr.getPublicKey(secretKey);
  const pubHex = bytesToHex(publicKey);
  const digest = sha256(new TextEncoder().encode(SAMPLE));
  const rawSig = schnorr.sign(digest, secretKey);
  const sig = signMessage(message, secretKey);

  const results: BenchResult[] = [];
  pair(
    results,
    'message serialize+parse (canonical, strict)',
    () => parseMessage(serializeMessage(message)),
    'JSON.stringify+JSON.parse',
    () => JSON.parse(JSON.stringify(plain)),
  );
  pair(
    results,
    'signMessage',
    () => signMessage(message, secretKey),
    '@noble schnorr.sign(32-byte digest)',
    () => schnorr.sign(digest, secretKey),
  );
  pair(
    results,
    'verifyMessageSignature',
    () => verifyMessageSignature(message, sig, pubHex),
    '@noble schnorr.verify(32-byte digest)',
    () => schnorr.verify(rawSig, digest, publicKey),
  );
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchMessages()) {
    const ratio = r.ratio === undefined ? '' : `  ×${r.ratio.toFixed(2)} of ${r.baseline}`;
    console.log(`${r.name.padEnd(45)} ${Math.round(r.opsPerSec).toString().padStart(9)} ops/s${ratio}`);
  }
}
