import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { v2 } from 'nostr-tools/nip44';
import { finalizeEvent, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import {
  ConversationKeyCache,
  conversationKey,
  isNostrEvent,
  nip44Decrypt,
  nip44Encrypt,
  nobleSecp,
  signEvent,
  verifyEventSignature,
  wasmSecp,
} from '../../src/crypto/index.ts';

const TRADE1 = hexToBytes('977b9da8056e6a83a991cb31ac507b0a618fbbee355e36e107e0e348686ab833');
const MOSTRO_SK = hexToBytes('8f6153e79b2c6f64783f6515a195120f5fcc51422401b2c43b9db1d2e7453697');
const MOSTRO_PUB = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';

const validSecret = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .filter((b) => b.some((x) => x !== 0) && b[0] !== 0xff);

describe('secp backends (noble and wasm) agree', () => {
  for (const secp of [nobleSecp, wasmSecp]) {
    it(`§1.6 conversation key vector (${secp.name})`, () => {
      assert.equal(
        bytesToHex(conversationKey(TRADE1, MOSTRO_PUB, secp)),
        '58196a777cfca6e977d1351e328318610aa03d68b49c75cfbfd8f8729a69a35e',
      );
      // symmetric
      const trade1Pub = bytesToHex(secp.getPublicKey(TRADE1));
      assert.equal(
        bytesToHex(conversationKey(MOSTRO_SK, trade1Pub, secp)),
        '58196a777cfca6e977d1351e328318610aa03d68b49c75cfbfd8f8729a69a35e',
      );
    });

    it(`${secp.name}: BIP-340 deterministic signature with aux = 0 matches noble`, () => {
      const msg = hexToBytes('f91fc2bcf979ef8b3403b4aa814c515288ab52dc0948e826d984a7978eb53c10');
      const sig = secp.schnorrSign(msg, TRADE1, new Uint8Array(32));
      // protocol.md §1.2 trade_sig (aux = 32 zero bytes)
      assert.equal(
        bytesToHex(sig),
        '1d5cf8886ad4cd4bb4c2784a4f5636b82005454401f0344cce38ff2a8f6b40d5b49bc679354208bc21eb8dc6730e0566fd71505b2f89058d80a32f51bcd563b1',
      );
      assert.ok(secp.schnorrVerify(sig, msg, secp.getPublicKey(TRADE1)));
      const bad = sig.slice();
      bad[5] = (bad[5] ?? 0) ^ 1;
      assert.equal(secp.schnorrVerify(bad, msg, secp.getPublicKey(TRADE1)), false);
      assert.equal(secp.schnorrVerify(sig, msg, new Uint8Array(32).fill(0xff)), false); // not a point
      assert.equal(secp.schnorrVerify(sig.subarray(0, 10), msg, secp.getPublicKey(TRADE1)), false);
    });
  }

  it('random keys: pubkeys, ECDH, signatures and nostr-tools conversation keys agree', () => {
    fc.assert(
      fc.property(validSecret, validSecret, fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b, msg) => {
        const pa = nobleSecp.getPublicKey(a);
        assert.deepEqual(wasmSecp.getPublicKey(a), pa);
        assert.equal(bytesToHex(pa), getPublicKey(a));
        const pb = bytesToHex(nobleSecp.getPublicKey(b));
        const ck = v2.utils.getConversationKey(a, pb);
        assert.deepEqual(conversationKey(a, pb, nobleSecp), ck);
        assert.deepEqual(conversationKey(a, pb, wasmSecp), ck);
        const s1 = wasmSecp.schnorrSign(msg, a);
        const s2 = nobleSecp.schnorrSign(msg, a);
        assert.ok(nobleSecp.schnorrVerify(s1, msg, pa));
        assert.ok(wasmSecp.schnorrVerify(s2, msg, pa));
      }),
      { numRuns: 60 },
    );
  });

  it('nip44 round trip and wrong key', () => {
    const ck = conversationKey(TRADE1, MOSTRO_PUB);
    const ct = nip44Encrypt('hola', ck);
    assert.equal(nip44Decrypt(ct, ck), 'hola');
    assert.throws(() => nip44Decrypt(ct, conversationKey(MOSTRO_SK, MOSTRO_PUB)));
  });

  it('ConversationKeyCache: hits, LRU eviction, same keys as uncached', () => {
    const cache = new ConversationKeyCache(2);
    const me = getPublicKey(MOSTRO_SK);
    const peers = [1, 2, 3].map((i) => getPublicKey(new Uint8Array(32).fill(i)));
    const [p1, p2, p3] = peers as [string, string, string];
    assert.deepEqual(cache.get(MOSTRO_SK, me, p1), conversationKey(MOSTRO_SK, p1));
    cache.get(MOSTRO_SK, me, p2);
    cache.get(MOSTRO_SK, me, p1); // p1 most recent
    cache.get(MOSTRO_SK, me, p3, wasmSecp); // evicts p2
    assert.equal(cache.size, 2);
    assert.equal(cache.hits, 1);
    assert.equal(cache.misses, 3);
    cache.get(MOSTRO_SK, me, p1);
    assert.equal(cache.hits, 2);
    cache.get(MOSTRO_SK, me, p2);
    assert.equal(cache.misses, 4);
    assert.throws(() => new ConversationKeyCache(0), RangeError);
  });

  it('events signed by either backend verify with nostr-tools and with both backends', () => {
    for (const secp of [nobleSecp, wasmSecp]) {
      const e = signEvent({ kind: 1, created_at: 1700000000, tags: [['p', MOSTRO_PUB]], content: 'x' }, TRADE1, {
        secp,
      });
      assert.ok(verifyEvent({ ...e }));
      assert.ok(verifyEventSignature(e, nobleSecp));
      assert.ok(verifyEventSignature(e, wasmSecp));
      assert.ok(isNostrEvent(e));
      assert.equal(verifyEventSignature({ ...e, content: 'y' }, secp), false);
      assert.equal(verifyEventSignature({ ...e, pubkey: MOSTRO_PUB }, secp), false);
    }
    const byTools = finalizeEvent({ kind: 14, created_at: 1, tags: [], content: '' }, MOSTRO_SK);
    assert.ok(verifyEventSignature(byTools, wasmSecp));
    assert.equal(isNostrEvent({ ...byTools, kind: '14' }), false);
    assert.equal(isNostrEvent({ ...byTools, tags: [[1]] }), false);
    assert.equal(isNostrEvent(null), false);
  });
});
