// The audit checks themselves must be able to fail: each is fed a leak and must report it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatChannel, publicKeyOf, sharedSecret, signEvent, wrapChat } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey } from 'nostr-tools/pure';
import { chatOpenedBy, eventsContaining, publicKeyForms, secretKeyForms, sharedHighEntropyValues } from './audit.ts';

describe('privacy audit checks catch leaks', () => {
  const sk = generateSecretKey();
  const pub = publicKeyOf(sk);

  it('a key in a tag, in content, as npub or as nsec is found', () => {
    const other = generateSecretKey();
    const inTag = signEvent({ kind: 1, created_at: 1, content: '', tags: [['p', pub]] }, other);
    const inContent = signEvent({ kind: 1, created_at: 1, content: `hi ${publicKeyForms(pub)[1]}`, tags: [] }, other);
    const secret = signEvent({ kind: 1, created_at: 1, content: `${secretKeyForms(sk)[1]}`, tags: [] }, other);
    const clean = signEvent({ kind: 1, created_at: 1, content: 'nothing', tags: [] }, other);
    assert.deepEqual(
      eventsContaining([inTag, inContent, clean], publicKeyForms(pub)).map((h) => h.event),
      [inTag.id, inContent.id],
    );
    assert.equal(eventsContaining([secret, clean], secretKeyForms(sk)).length, 1);
    // As author, too.
    assert.equal(eventsContaining([signEvent({ kind: 1, created_at: 1, content: '', tags: [] }, sk)], [pub]).length, 1);
  });

  it('a chat key opens its own chat and no other', () => {
    const [a, b, c] = [generateSecretKey(), generateSecretKey(), generateSecretKey()];
    const ab = chatChannel(sharedSecret(a, publicKeyOf(b)));
    const ac = chatChannel(sharedSecret(a, publicKeyOf(c)));
    const events = [
      wrapChat(ab, { text: 'ab one', senderKey: a }),
      wrapChat(ac, { text: 'ac one', senderKey: a }),
      wrapChat(ab, { text: 'ab two', senderKey: b }),
    ];
    const key = ab.current?.conv.secretKey as Uint8Array;
    assert.deepEqual(chatOpenedBy(events, key).sort(), ['ab one', 'ab two']);
    assert.deepEqual(chatOpenedBy(events, generateSecretKey()), []);
  });

  it('a value two orders share is reported, one row repeating itself is not', () => {
    const k = bytesToHex(generateSecretKey());
    assert.deepEqual(sharedHighEntropyValues([{ a: k, b: k }, { a: 'x'.repeat(40) }], new Set()), []);
    assert.equal(sharedHighEntropyValues([{ a: k }, { c: k }], new Set()).length, 1);
    assert.equal(sharedHighEntropyValues([{ a: k }, { c: k }], new Set(['c'])).length, 0);
  });
});
