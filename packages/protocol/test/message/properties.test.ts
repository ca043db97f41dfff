// Property-based round trips: for every payload variant, typed value → serialize → parse gives the
// same value and re-serializing gives the same bytes; sign/verify round trip on random keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import {
  parseMessage,
  parseTupleV2,
  serializeMessage,
  serializeTupleV2,
  signIdentityProof,
  signMessage,
  verifyIdentityProof,
  verifyMessageSignature,
} from '../../src/index.ts';
import { anyMessage, messageWith, payloadVariants } from './arbitraries.ts';

const secretKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => {
  try {
    schnorr.getPublicKey(b);
    return true;
  } catch {
    return false;
  }
});

describe('canonical round trip per payload variant', () => {
  for (const [name, payload] of Object.entries(payloadVariants)) {
    it(name, () => {
      fc.assert(
        fc.property(messageWith(payload), (m) => {
          const text = serializeMessage(m);
          const parsed = parseMessage(text);
          assert.deepStrictEqual(parsed, structuredClone(m));
          assert.equal(serializeMessage(parsed), text);
          // serde_json output is plain JSON: JSON.parse agrees on structure.
          assert.doesNotThrow(() => JSON.parse(text));
        }),
        { numRuns: 150 },
      );
    });
  }
  it('null payload', () => {
    fc.assert(
      fc.property(messageWith(fc.constant(null)), (m) => {
        assert.deepStrictEqual(parseMessage(serializeMessage(m)), structuredClone(m));
      }),
    );
  });
});

describe('sign / verify round trip', () => {
  it('trade signature verifies for the author only, and after a wire round trip', () => {
    fc.assert(
      fc.property(anyMessage, secretKey, secretKey, (m, sk, otherSk) => {
        const pub = bytesToHex(schnorr.getPublicKey(sk));
        const sig = signMessage(m, sk);
        assert.ok(verifyMessageSignature(m, sig, pub));
        assert.ok(verifyMessageSignature(parseMessage(serializeMessage(m)), sig, pub));
        const otherPub = bytesToHex(schnorr.getPublicKey(otherSk));
        if (otherPub !== pub) assert.equal(verifyMessageSignature(m, sig, otherPub), false);
      }),
      { numRuns: 40 },
    );
  });
  it('identity proof binds the trade key and the message', () => {
    fc.assert(
      fc.property(anyMessage, secretKey, secretKey, (m, tradeSk, identitySk) => {
        const tradePub = bytesToHex(schnorr.getPublicKey(tradeSk));
        const identityPub = bytesToHex(schnorr.getPublicKey(identitySk));
        const proof = signIdentityProof(tradePub, m, identitySk);
        const tuple = parseTupleV2(serializeTupleV2(m, signMessage(m, tradeSk), { pubkey: identityPub, sig: proof }));
        assert.ok(verifyIdentityProof(tradePub, tuple.message, identityPub, tuple.identityProof!.sig));
        if (identityPub !== tradePub) assert.equal(verifyIdentityProof(identityPub, m, identityPub, proof), false);
      }),
      { numRuns: 30 },
    );
  });
});
