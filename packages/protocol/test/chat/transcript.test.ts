import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatChannel,
  exportTranscript,
  sharedSecret,
  type Transcript,
  verifyTranscript,
  wrapChat,
  wrapLegacyChat,
} from '../../src/chat/index.ts';
import { deriveTradeKey } from '../../src/keys/index.ts';

const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const buyer = deriveTradeKey(M1, 1);
const seller = deriveTradeKey(M1, 2);
const stranger = deriveTradeKey(M1, 4);
const parties = [buyer.publicKey, seller.publicKey];
const T = 1_700_000_000;
const b = chatChannel(sharedSecret(buyer.secretKey, seller.publicKey));
const s = chatChannel(sharedSecret(seller.secretKey, buyer.publicKey));
const noise = chatChannel(sharedSecret(buyer.secretKey, stranger.publicKey));

const events = [
  wrapChat(s, { text: 'second', senderKey: seller.secretKey, createdAt: T + 10 }),
  wrapChat(b, { text: 'first', senderKey: buyer.secretKey, createdAt: T }),
  wrapChat(noise, { text: 'other trade', senderKey: buyer.secretKey, createdAt: T + 5 }),
  wrapLegacyChat(b, { text: 'third (legacy)', senderKey: buyer.secretKey, createdAt: T + 20 }),
  wrapChat(b, { text: 'fourth', senderKey: buyer.secretKey, createdAt: T + 30 }),
];
const kConv = b.current!.conv.secretKey;

describe('chat transcript export and verification', () => {
  it('exports the conversation in order with checked inner signatures (K_conv disclosed to a solver)', () => {
    const t = exportTranscript(kConv, events, parties, { signPub: b.current!.sign!.publicKey });
    assert.deepEqual(
      t.messages.map((m) => [m.text, m.author, m.createdAt]),
      [
        ['first', buyer.publicKey, T],
        ['second', seller.publicKey, T + 10],
        ['fourth', buyer.publicKey, T + 30],
      ],
    );
    assert.equal(t.messages[0]!.outerId, events[1]!.id);
    assert.match(t.messages[0]!.signature, /^[0-9a-f]{128}$/);
    assert.equal(t.rejected.length, 2); // the other trade's event and the legacy one (other key)
    assert.deepEqual(verifyTranscript(t, events), { ok: true, messages: 3 });
    // serializable
    assert.deepEqual(verifyTranscript(JSON.parse(JSON.stringify(t)) as Transcript, events), { ok: true, messages: 3 });
  });

  it('the legacy shared key exports the legacy messages', () => {
    const t = exportTranscript(b.legacy!.secretKey, events, parties);
    assert.deepEqual(
      t.messages.map((m) => [m.text, m.format]),
      [['third (legacy)', 'legacy']],
    );
    assert.ok(verifyTranscript(t, events).ok);
  });

  it('tampering, truncation, re-ordering, an extra message and a wrong key all fail', () => {
    const t = exportTranscript(kConv, events, parties);
    const tampered = structuredClone(t);
    tampered.messages[1]!.text = 'second (edited)';
    assert.deepEqual(verifyTranscript(tampered, events), { ok: false, reason: 'bad_signature', index: 1 });

    const truncated = structuredClone(t);
    truncated.messages.pop();
    assert.deepEqual(verifyTranscript(truncated, events), { ok: false, reason: 'missing_message', index: 2 });
    const middle = structuredClone(t);
    middle.messages.splice(1, 1);
    assert.equal(verifyTranscript(middle, events).ok, false);

    const reordered = structuredClone(t);
    reordered.messages.reverse();
    assert.deepEqual(verifyTranscript(reordered, events), { ok: false, reason: 'mismatch', index: 0 });

    // a message the relay does not have (validly signed, but never sent in this conversation)
    const other = exportTranscript(noise.current!.conv.secretKey, events, parties);
    const extra = structuredClone(t);
    extra.messages.push({ ...other.messages[0]!, createdAt: other.messages[0]!.createdAt });
    assert.equal(verifyTranscript(extra, events).ok, false);

    const wrongKey = { ...structuredClone(t), chatKey: Buffer.from(noise.current!.conv.secretKey).toString('hex') };
    assert.equal(verifyTranscript(wrongKey, events).ok, false);
    assert.deepEqual(verifyTranscript({ ...t, chatKey: 'zz' }, events), { ok: false, reason: 'bad_key' });

    // verifying against a relay that lost an event fails too
    assert.deepEqual(
      verifyTranscript(
        t,
        events.filter((e) => e !== events[0]),
      ),
      { ok: false, reason: 'mismatch', index: 1 },
    );
    assert.deepEqual(
      verifyTranscript(
        t,
        events.filter((e) => e !== events[4]),
      ),
      { ok: false, reason: 'extra_message', index: 2 },
    );
  });

  it('restricting the signers drops the other party', () => {
    const t = exportTranscript(kConv, events, [buyer.publicKey]);
    assert.deepEqual(
      t.messages.map((m) => m.text),
      ['first', 'fourth'],
    );
    assert.ok(t.rejected.some((r) => r.reason === 'signer_not_allowed'));
  });
});
