import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getPow } from 'nostr-tools/nip13';
import { ConversationKeyCache, wasmSecp } from '../../src/crypto/index.ts';
import { newMessage, serializeMessage, signIdentityProof, signMessage } from '../../src/message/index.ts';
import { type Unwrapped, type UnwrapResult, unwrapMessage, wrapMessage } from '../../src/transport/index.ts';
import { anyMessage } from '../message/arbitraries.ts';
import { identity, NODE_PUB, NODE_SK, rawDirect, rawGiftWrap, takeSell, trade, trade2, wrapAround } from './helpers.ts';

const TRANSPORTS = ['gift-wrap', 'nip44'] as const;

function ok(r: UnwrapResult): Unwrapped {
  assert.ok(r, 'expected a result, got null');
  if (!r.ok) assert.fail(`${r.code}: ${r.detail}`);
  return r;
}
const code = (r: UnwrapResult) => (r === null ? null : r.ok ? 'ok' : r.code);

describe('transports: round trips (fast-check)', () => {
  for (const transport of TRANSPORTS) {
    for (const privacy of ['reputation', 'full-privacy'] as const) {
      it(`${transport}, ${privacy}`, () => {
        const cache = new ConversationKeyCache(8);
        fc.assert(
          fc.property(anyMessage, fc.boolean(), fc.constantFrom(undefined, wasmSecp), (message, signed, secp) => {
            const event = wrapMessage({
              transport,
              message,
              tradeKey: trade.secretKey,
              identityKey: privacy === 'reputation' ? identity.secretKey : null,
              recipient: NODE_PUB,
              signed,
              secp,
            });
            assert.equal(event.kind, transport === 'gift-wrap' ? 1059 : 14);
            const u = ok(unwrapMessage(event, NODE_SK, { convKeyCache: cache, secp }));
            assert.equal(u.transport, transport);
            assert.equal(serializeMessage(u.message), serializeMessage(message));
            assert.equal(u.sender, trade.publicKey);
            assert.equal(u.identity, privacy === 'reputation' ? identity.publicKey : trade.publicKey);
            assert.equal(u.checks.outerSignature, 'valid');
            assert.equal(u.checks.tradeSignature, signed ? 'valid' : 'absent');
            const proofExpected = transport === 'nip44' && privacy === 'reputation';
            assert.equal(u.checks.identityProof, proofExpected ? 'valid' : 'absent');
            if (transport === 'gift-wrap') {
              assert.equal(u.checks.sealSignature, 'valid');
              assert.equal(u.checks.rumorId, 'valid');
              assert.equal(u.layers.seal?.pubkey, u.identity);
            }
            // the wrong receiver gets nothing, not an exception
            assert.equal(unwrapMessage(event, trade2.secretKey), null);
          }),
          { numRuns: 25 },
        );
        assert.ok(cache.hits > 0);
      });
    }
  }
});

describe('transports: §1.2 vector and layout', () => {
  it('the §1.2 reputation tuple verifies inside a kind 14 by trade key 1', () => {
    const plaintext =
      '[{"order":{"version":2,"request_id":null,"trade_index":1,"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","action":"take-sell","payload":null}},"1d5cf8886ad4cd4bb4c2784a4f5636b82005454401f0344cce38ff2a8f6b40d5b49bc679354208bc21eb8dc6730e0566fd71505b2f89058d80a32f51bcd563b1",["b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950","c385f616c43047eac63f7e234ce644144c2fcfc3bfd41051b10cc705f5d626706639e82338ad8282cf84ed376cefb0369126ecb7f9dc6ad284b8fd23261928ea"]]';
    const u = ok(unwrapMessage(rawDirect(plaintext, trade.secretKey), NODE_SK));
    assert.deepEqual(u.checks, { outerSignature: 'valid', tradeSignature: 'valid', identityProof: 'valid' });
    assert.equal(u.identity, identity.publicKey);
    assert.equal(u.layers.plaintext, plaintext);
    // the same tuple under trade key 2 (grafted) fails: the proof binds the author
    assert.equal(code(unwrapMessage(rawDirect(plaintext, trade2.secretKey), NODE_SK)), 'bad_trade_signature');
  });

  it('v1 layout: rumor real time by the trade key, seal by identity, wrap by a one-time key; tags expiration then p', () => {
    const before = Math.floor(Date.now() / 1000);
    const times: number[] = [];
    const wrapKeys = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const ev = wrapMessage({
        transport: 'gift-wrap',
        message: takeSell(),
        tradeKey: trade.secretKey,
        identityKey: identity.secretKey,
        recipient: NODE_PUB,
        expiration: 2_000_000_000,
      });
      assert.deepEqual(ev.tags, [
        ['expiration', '2000000000'],
        ['p', NODE_PUB],
      ]);
      const u = ok(unwrapMessage(ev, NODE_SK));
      const now = Math.floor(Date.now() / 1000);
      assert.ok(u.createdAt >= before && u.createdAt <= now, 'rumor keeps real time');
      for (const t of [ev.created_at, u.layers.seal!.created_at]) {
        assert.ok(t <= now && t > before - 172800, 'seal/wrap tweaked into [now-2d, now]');
        times.push(t);
      }
      assert.notEqual(ev.pubkey, trade.publicKey);
      assert.notEqual(ev.pubkey, identity.publicKey);
      wrapKeys.add(ev.pubkey);
      assert.equal(u.layers.rumor!.pubkey, trade.publicKey);
      assert.equal(u.layers.seal!.pubkey, identity.publicKey);
      assert.deepEqual(JSON.parse(u.layers.plaintext).length, 2);
    }
    assert.equal(wrapKeys.size, 12, 'one-time wrap keys');
    assert.ok(times.filter((t) => t < before - 60).length >= 20, 'timestamps actually moved back');
  });

  it('v2 layout: author trade key, real time, tags p then expiration, 3-tuple', () => {
    const ev = wrapMessage({
      transport: 'nip44',
      message: takeSell(),
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
      expiration: 2_000_000_000,
      createdAt: 1_700_000_000,
    });
    assert.equal(ev.pubkey, trade.publicKey);
    assert.equal(ev.created_at, 1_700_000_000);
    assert.deepEqual(ev.tags, [
      ['p', NODE_PUB],
      ['expiration', '2000000000'],
    ]);
    const u = ok(unwrapMessage(ev, NODE_SK));
    assert.equal(JSON.parse(u.layers.plaintext).length, 3);
    const noExp = wrapMessage({
      transport: 'nip44',
      message: takeSell(),
      tradeKey: trade.secretKey,
      identityKey: null,
      recipient: NODE_PUB,
    });
    assert.deepEqual(noExp.tags, [['p', NODE_PUB]]);
    assert.equal(JSON.parse(ok(unwrapMessage(noExp, NODE_SK)).layers.plaintext)[2], null);
  });

  for (const transport of TRANSPORTS) {
    it(`${transport}: PoW difficulty met on the outer event, timestamps kept`, () => {
      const ev = wrapMessage({
        transport,
        message: takeSell(),
        tradeKey: trade.secretKey,
        identityKey: identity.secretKey,
        recipient: NODE_PUB,
        pow: 10,
        createdAt: 1_700_000_000,
      });
      assert.ok(getPow(ev.id) >= 10);
      assert.deepEqual(ev.tags.at(-1)!.slice(0, 1).concat(ev.tags.at(-1)![2]!), ['nonce', '10']);
      if (transport === 'nip44') assert.equal(ev.created_at, 1_700_000_000);
      ok(unwrapMessage(ev, NODE_SK));
    });
  }

  it('a conversation-key cache on the sending side gives the same, readable events', () => {
    const cache = new ConversationKeyCache(4);
    for (const transport of TRANSPORTS) {
      for (let i = 0; i < 2; i++) {
        const ev = wrapMessage({
          transport,
          message: takeSell(),
          tradeKey: NODE_SK,
          identityKey: NODE_SK,
          recipient: trade.publicKey,
          signed: false,
          convKeyCache: cache,
        });
        assert.equal(ok(unwrapMessage(ev, trade.secretKey, { from: NODE_PUB })).sender, NODE_PUB);
      }
    }
    assert.equal(cache.misses, 1); // node ↔ trade key, computed once for both transports
    assert.equal(cache.hits, 3);
  });

  it('the author of a kind 14 can read it back (decrypts with the p tag)', () => {
    const ev = wrapMessage({
      transport: 'nip44',
      message: takeSell(),
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    assert.equal(ok(unwrapMessage(ev, trade.secretKey)).sender, trade.publicKey);
  });
});

describe('transports: node replies and restore decode (V6)', () => {
  const restore = newMessage('restore', {
    action: 'restore-session',
    version: 1,
    payload: { restore_data: { orders: [], disputes: [] } },
  });
  const fromNode = (transport: (typeof TRANSPORTS)[number]) =>
    wrapMessage({
      transport,
      message: restore,
      tradeKey: NODE_SK,
      identityKey: NODE_SK,
      recipient: trade.publicKey,
      signed: false,
    });

  it('the same tuple decodes identically from a v1 wrap and a v2 kind 14 by the node', () => {
    const v1 = ok(unwrapMessage(fromNode('gift-wrap'), trade.secretKey, { from: NODE_PUB }));
    const v2 = ok(unwrapMessage(fromNode('nip44'), trade.secretKey, { from: NODE_PUB }));
    assert.equal(v1.layers.plaintext, `[${serializeMessage(restore)},null]`);
    assert.equal(v2.layers.plaintext, `[${serializeMessage(restore)},null,null]`);
    for (const u of [v1, v2]) {
      assert.equal(serializeMessage(u.message), serializeMessage(restore));
      assert.equal(u.sender, NODE_PUB);
      assert.equal(u.identity, NODE_PUB);
      assert.equal(u.tradeSignature, null);
      assert.equal(u.checks.tradeSignature, 'absent');
      assert.equal(u.checks.identityProof, 'absent');
    }
    assert.deepEqual(v1.message, v2.message);
    assert.deepEqual(fromNode('nip44').tags[0], ['p', trade.publicKey]);
  });

  it('a kind 14 from another author is rejected when expecting the node', () => {
    const impostor = wrapMessage({
      transport: 'nip44',
      message: restore,
      tradeKey: trade2.secretKey,
      identityKey: trade2.secretKey,
      recipient: trade.publicKey,
      signed: false,
    });
    assert.equal(code(unwrapMessage(impostor, trade.secretKey, { from: NODE_PUB })), 'unexpected_sender');
    const impostorV1 = wrapMessage({
      transport: 'gift-wrap',
      message: restore,
      tradeKey: trade2.secretKey,
      identityKey: trade2.secretKey,
      recipient: trade.publicKey,
      signed: false,
    });
    assert.equal(code(unwrapMessage(impostorV1, trade.secretKey, { from: NODE_PUB })), 'unexpected_sender');
    // a v1 seal by the node around a rumor by someone else is not from the node either
    const mixed = rawGiftWrap(`[${serializeMessage(restore)},null]`, trade2.secretKey, NODE_SK, {
      recipient: trade.publicKey,
    });
    assert.equal(code(unwrapMessage(mixed, trade.secretKey, { from: NODE_PUB })), 'unexpected_sender');
  });
});

describe('transports: negative cases', () => {
  const m = takeSell();
  const other = takeSell(2);
  const sig = signMessage(m, trade.secretKey);
  const proof = (msg = m, tradePub = trade.publicKey) => [
    identity.publicKey,
    signIdentityProof(tradePub, msg, identity.secretKey),
  ];
  const v2 = (tuple: unknown[], author = trade.secretKey) =>
    unwrapMessage(
      rawDirect(`[${serializeMessage(m)},${tuple.map((x) => JSON.stringify(x)).join(',')}]`, author),
      NODE_SK,
    );

  it('proof over another payload', () => {
    const r = v2([sig, proof(other)]);
    assert.equal(code(r), 'bad_identity_proof');
    assert.ok(r && !r.ok && r.checks.identityProof === 'invalid' && r.checks.tradeSignature === 'valid');
  });

  it('proof replayed under another trade key (grafted)', () => {
    // trade key 2 authors and signs correctly, but the proof was made for trade key 1
    const sig2 = signMessage(m, trade2.secretKey);
    assert.equal(code(v2([sig2, proof()], trade2.secretKey)), 'bad_identity_proof');
    assert.equal(code(v2([sig2, proof(m, trade2.publicKey)], trade2.secretKey)), 'ok');
  });

  it('trade signature by a non-author', () => {
    const bySomeoneElse = signMessage(m, trade2.secretKey);
    assert.equal(code(v2([bySomeoneElse, proof()])), 'bad_trade_signature');
    const r = unwrapMessage(
      rawGiftWrap(`[${serializeMessage(m)},"${bySomeoneElse}"]`, trade.secretKey, identity.secretKey),
      NODE_SK,
    );
    assert.equal(code(r), 'bad_trade_signature');
    assert.ok(r && !r.ok && r.layers.rumor?.pubkey === trade.publicKey);
    // signature over another message
    assert.equal(code(v2([signMessage(other, trade.secretKey), null])), 'bad_trade_signature');
  });

  it('wrong tuple arity', () => {
    const r = unwrapMessage(rawDirect(`[${serializeMessage(m)},"${sig}"]`, trade.secretKey), NODE_SK);
    assert.equal(code(r), 'malformed_content');
    assert.ok(r && !r.ok && r.cause?.code === 'invalid_arity');
    assert.equal(
      code(
        unwrapMessage(rawGiftWrap(`[${serializeMessage(m)},null,null]`, trade.secretKey, identity.secretKey), NODE_SK),
      ),
      'malformed_content',
    );
    assert.equal(
      code(unwrapMessage(rawGiftWrap(serializeMessage(m), trade.secretKey, identity.secretKey), NODE_SK)),
      'malformed_content',
    );
    assert.equal(code(unwrapMessage(rawDirect('not json', trade.secretKey), NODE_SK)), 'malformed_content');
  });

  it('wrong kinds: outer, seal, rumor', () => {
    const ev = rawDirect(`[${serializeMessage(m)},null,null]`, trade.secretKey, NODE_PUB, 4);
    assert.equal(code(unwrapMessage(ev, NODE_SK)), 'wrong_kind');
    assert.equal(
      code(
        unwrapMessage(
          rawGiftWrap(`[${serializeMessage(m)},null]`, trade.secretKey, identity.secretKey, { sealKind: 14 }),
          NODE_SK,
        ),
      ),
      'wrong_seal_kind',
    );
    assert.equal(
      code(
        unwrapMessage(
          rawGiftWrap(`[${serializeMessage(m)},null]`, trade.secretKey, identity.secretKey, { rumorKind: 14 }),
          NODE_SK,
        ),
      ),
      'wrong_rumor_kind',
    );
  });

  it('broken layers: outer signature, seal, rumor id', () => {
    const ev = wrapMessage({
      transport: 'nip44',
      message: m,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    assert.equal(code(unwrapMessage({ ...ev, created_at: ev.created_at + 1 }, NODE_SK)), 'bad_outer_signature');
    const gw = wrapMessage({
      transport: 'gift-wrap',
      message: m,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
    });
    assert.equal(code(unwrapMessage({ ...gw, sig: '0'.repeat(128) }, NODE_SK)), 'bad_outer_signature');
    assert.equal(code(unwrapMessage(wrapAround('{"kind":13}'), NODE_SK)), 'malformed_seal');
    assert.equal(code(unwrapMessage(wrapAround('nope'), NODE_SK)), 'malformed_seal');
    assert.equal(
      code(
        unwrapMessage(
          rawGiftWrap(`[${serializeMessage(m)},null]`, trade.secretKey, identity.secretKey, {
            rumorPatch: { id: '0'.repeat(64) },
          }),
          NODE_SK,
        ),
      ),
      'bad_rumor_id',
    );
    assert.equal(
      code(
        unwrapMessage(
          rawGiftWrap(`[${serializeMessage(m)},null]`, trade.secretKey, identity.secretKey, {
            rumorPatch: { id: undefined },
          }),
          NODE_SK,
        ),
      ),
      'malformed_rumor',
    );
    assert.equal(code(unwrapMessage({ kind: 14 }, NODE_SK)), 'invalid_event');
    assert.equal(code(unwrapMessage('x', NODE_SK)), 'invalid_event');
  });

  it('wrong receiver yields null for both transports and both directions', () => {
    for (const transport of TRANSPORTS) {
      const ev = wrapMessage({
        transport,
        message: m,
        tradeKey: trade.secretKey,
        identityKey: identity.secretKey,
        recipient: NODE_PUB,
      });
      assert.equal(unwrapMessage(ev, identity.secretKey), null);
      assert.equal(unwrapMessage(ev, trade2.secretKey), null);
    }
  });
});
