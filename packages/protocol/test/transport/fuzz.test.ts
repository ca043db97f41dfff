// Random and mutated events into unwrapMessage and the chat receiver: only typed results come
// back (null / {ok:false, code} / {ok:true}), never an exception and never the defensive catch-all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ChatReceiver, chatChannel, openChat, sharedSecret, wrapChat, wrapLegacyChat } from '../../src/chat/index.ts';
import { conversationKey, nip44Encrypt, signEvent } from '../../src/crypto/index.ts';
import { type UnwrapResult, unwrapMessage, wrapMessage } from '../../src/transport/index.ts';
import { identity, NODE_PUB, NODE_SK, rawDirect, takeSell, trade, trade2 } from './helpers.ts';

const seeds = [
  wrapMessage({
    transport: 'gift-wrap',
    message: takeSell(),
    tradeKey: trade.secretKey,
    identityKey: identity.secretKey,
    recipient: NODE_PUB,
  }),
  wrapMessage({
    transport: 'nip44',
    message: takeSell(),
    tradeKey: trade.secretKey,
    identityKey: identity.secretKey,
    recipient: NODE_PUB,
    expiration: 5,
  }),
];
const channel = chatChannel(sharedSecret(trade.secretKey, trade2.publicKey));
const chatSeeds = [
  wrapChat(channel, { text: 'hi', senderKey: trade.secretKey }),
  wrapLegacyChat(channel, { text: 'hi', senderKey: trade.secretKey }),
];

const KNOWN = new Set([
  'invalid_event',
  'wrong_kind',
  'bad_outer_signature',
  'malformed_seal',
  'wrong_seal_kind',
  'bad_seal_signature',
  'seal_decrypt_failed',
  'malformed_rumor',
  'wrong_rumor_kind',
  'bad_rumor_id',
  'malformed_content',
  'bad_trade_signature',
  'bad_identity_proof',
  'unexpected_sender',
]);

function assertTyped(r: UnwrapResult): void {
  if (r === null || r.ok) return;
  assert.ok(KNOWN.has(r.code), r.code);
  assert.ok(!r.detail.startsWith('unexpected:'), `an exception escaped a layer: ${r.detail}`);
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const jsonish = fc.oneof(
  fc.anything(),
  fc.json().map((s) => JSON.parse(s) as unknown),
);
const field = fc.constantFrom('id', 'pubkey', 'sig', 'kind', 'created_at', 'tags', 'content');

/** Replace one field of a seed event with an arbitrary value. */
const mutatedField = (pool: object[]) =>
  fc
    .tuple(fc.constantFrom(...pool), field, fc.oneof(jsonish, hex(64), hex(128), fc.string()))
    .map(([e, k, v]) => ({ ...e, [k]: v }));
/** Flip one character of the content (ciphertext corruption). */
const flipped = (pool: { content: string }[]) =>
  fc.tuple(fc.constantFrom(...pool), fc.nat(), fc.constantFrom(...'AZaz09+/=')).map(([e, i, ch]) => {
    const at = i % e.content.length;
    return { ...e, content: e.content.slice(0, at) + ch + e.content.slice(at + 1) };
  });
/** A correctly signed and encrypted kind 14 whose plaintext is arbitrary. */
const validEnvelope = fc
  .oneof(
    fc.json(),
    fc.string(),
    fc.anything().map((x) => JSON.stringify([x, null, null]) ?? 'null'),
  )
  .filter((s) => s.length > 0)
  .map((plain) => rawDirect(plain, trade.secretKey));
const randomEvent = fc.record({
  id: hex(64),
  pubkey: hex(64),
  sig: hex(128),
  kind: fc.constantFrom(1, 13, 14, 1059),
  created_at: fc.nat(),
  tags: fc.array(fc.array(fc.string(), { maxLength: 3 }), { maxLength: 3 }),
  content: fc.string(),
});

describe('fuzz: transports and chat only ever return typed results', () => {
  it('unwrapMessage', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, randomEvent, mutatedField(seeds), flipped(seeds), validEnvelope), (input) => {
        assertTyped(unwrapMessage(input, NODE_SK));
        assertTyped(unwrapMessage(input, trade.secretKey, { from: NODE_PUB }));
      }),
      { numRuns: 400 },
    );
  });

  it('a valid seal around an arbitrary rumor', () => {
    fc.assert(
      fc.property(jsonish, (rumor) => {
        const seal = signEvent(
          {
            kind: 13,
            created_at: 1,
            tags: [],
            content: nip44Encrypt(JSON.stringify(rumor) ?? 'null', conversationKey(identity.secretKey, NODE_PUB)),
          },
          identity.secretKey,
        );
        const wrap = signEvent(
          {
            kind: 1059,
            created_at: 1,
            tags: [],
            content: nip44Encrypt(JSON.stringify(seal), conversationKey(trade2.secretKey, NODE_PUB)),
          },
          trade2.secretKey,
        );
        assertTyped(unwrapMessage(wrap, NODE_SK));
      }),
      { numRuns: 100 },
    );
  });

  it('chat receiver and openChat', () => {
    const rx = new ChatReceiver({
      channel,
      allowedSigners: [trade.publicKey, trade2.publicKey],
      ratePerMinute: 1e9,
      burst: 1e9,
    });
    fc.assert(
      fc.property(fc.oneof(jsonish, randomEvent, mutatedField(chatSeeds), flipped(chatSeeds)), (input) => {
        for (const r of [rx.receive(input), openChat(input, channel, { allowedSigners: null })]) {
          assert.equal(typeof r.ok, 'boolean');
          if (!r.ok) assert.equal(typeof r.reason, 'string');
        }
      }),
      { numRuns: 400 },
    );
  });
});
