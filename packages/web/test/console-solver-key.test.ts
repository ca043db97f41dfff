// The solver key from an nsec or 12 words: the NIP-06 test vector, the Mostro identity path, and
// bad input read as no key (never a crash).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveIdentityKey, publicKeyOf, toNsec } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey } from 'nostr-tools/pure';
import { solverKeyFrom } from '../src/console/solver-key.ts';

// NIP-06's own test vector.
const WORDS = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const NIP06_SECRET = '7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a';

describe('console: the solver key', () => {
  it('12 words give the NIP-06 key (the spec vector), whatever the spacing and case', () => {
    const k = solverKeyFrom('mnemonic-nostr', `  ${WORDS.toUpperCase().replace(/ /g, '   ')} `);
    assert.equal(k && bytesToHex(k), NIP06_SECRET);
  });

  it('or the Mostro identity key (index 0 of the Mostro path)', () => {
    const k = solverKeyFrom('mnemonic-mostro', WORDS);
    assert.equal(k && publicKeyOf(k), deriveIdentityKey(WORDS).publicKey);
    assert.notEqual(k && bytesToHex(k), NIP06_SECRET);
  });

  it('an nsec or 64 hex characters give that key', () => {
    const sk = generateSecretKey();
    assert.deepEqual(solverKeyFrom('nsec', ` ${toNsec(sk)} `), sk);
    assert.deepEqual(solverKeyFrom('nsec', bytesToHex(sk)), sk);
  });

  it('anything else is no key', () => {
    for (const [source, text] of [
      ['nsec', ''],
      ['nsec', 'npub1zzz'],
      ['nsec', 'nsec1notakey'],
      ['nsec', WORDS],
      ['mnemonic-nostr', ''],
      ['mnemonic-nostr', WORDS.replace('bean', 'beans')],
      ['mnemonic-mostro', 'leader monkey parrot'],
      ['mnemonic-nostr', WORDS.split(' ').reverse().join(' ')],
    ] as const) {
      assert.equal(solverKeyFrom(source, text), null, `${source}: ${text}`);
    }
  });
});
