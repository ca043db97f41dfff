import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expirationOf, isExpired, parseIncomingMessage } from '../../src/relay/index.ts';
import { keypair, signed } from './nostr-fixtures.ts';

describe('parseIncomingMessage', () => {
  const event = signed(keypair().secret, { kind: 1059, tags: [['p', 'a'.repeat(64)]] });

  it('accepts the four client messages', () => {
    for (const message of [
      ['EVENT', event],
      ['REQ', 'sub', { kinds: [1059], '#p': ['a'.repeat(64)], since: 1, limit: 10 }],
      ['REQ', 'sub', { ids: [event.id] }, { authors: [event.pubkey], '#d': ['x'], '&t': ['y'] }],
      ['CLOSE', 'sub'],
      ['AUTH', event],
    ]) {
      const parsed = parseIncomingMessage(JSON.stringify(message));
      assert.equal(parsed.ok, true, JSON.stringify(message));
      assert.deepEqual(parsed.ok && parsed.message, JSON.parse(JSON.stringify(message)));
    }
  });

  it('refuses malformed messages with a reason', () => {
    for (const frame of [
      '',
      'null',
      '"EVENT"',
      JSON.stringify(['EVENT', { ...event, id: event.id.toUpperCase() }]),
      JSON.stringify(['EVENT', { ...event, kind: -1 }]),
      JSON.stringify(['EVENT', { ...event, kind: 1.5 }]),
      JSON.stringify(['EVENT', { ...event, tags: [[1]] }]),
      JSON.stringify(['EVENT', { ...event, created_at: '1' }]),
      JSON.stringify(['EVENT', event, 'extra']),
      JSON.stringify(['REQ', '', {}]),
      JSON.stringify(['REQ', 'sub', { '#pp': ['x'] }]),
      JSON.stringify(['REQ', 'sub', { since: -1 }]),
      JSON.stringify(['REQ', 'sub', { ids: ['abc'] }]),
      JSON.stringify(['REQ', 'sub', null]),
      JSON.stringify(['COUNT', 'sub', {}]),
    ]) {
      const parsed = parseIncomingMessage(frame);
      assert.equal(parsed.ok, false, frame);
      assert.match(!parsed.ok ? parsed.reason : '', /^invalid: /);
    }
  });

  it('never throws, whatever the frame', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(['REQ', 's', v])),
        ),
        (frame) => {
          parseIncomingMessage(frame);
        },
      ),
    );
  });
});

describe('NIP-40 helpers', () => {
  it('reads the expiration tag, ignoring unreadable values', () => {
    assert.equal(expirationOf({ tags: [['expiration', '1700000000']] }), 1700000000);
    assert.equal(expirationOf({ tags: [['p', 'x']] }), undefined);
    assert.equal(expirationOf({ tags: [['expiration', 'soon']] }), undefined);
    assert.equal(expirationOf({ tags: [['expiration']] }), undefined);
    assert.equal(isExpired({ tags: [['expiration', '100']] }, 100), true);
    assert.equal(isExpired({ tags: [['expiration', '101']] }, 100), false);
    assert.equal(isExpired({ tags: [['expiration', 'x']] }, 100), false);
  });
});
