// The embedded relay's per-connection DM limits: a DM over the size limit and DMs beyond the rate are
// refused with OK false; other kinds and other connections are not affected.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConnectionDmLimit } from '../../src/relay/dm-limits.ts';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../src/relay/index.ts';
import { keypair, rawSocket, signed } from './nostr-fixtures.ts';

describe('embedded relay: DM limits per connection', () => {
  let relay: EmbeddedRelay;
  const alice = keypair();
  const node = keypair();

  before(async () => {
    relay = await startEmbeddedRelay({
      purgeIntervalMs: 0,
      dmPerMinute: 5,
      dmMaxBytes: 2000,
      priorityAuthors: [node.pubkey],
    });
  });
  after(() => relay.close());

  const publish = async (socket: Awaited<ReturnType<typeof rawSocket>>, event: ReturnType<typeof signed>) => {
    socket.send(JSON.stringify(['EVENT', event]));
    return (await socket.next()) as [string, string, boolean, string];
  };

  it('refuses a DM larger than the limit, in either kind', async () => {
    const socket = await rawSocket(relay.url);
    try {
      for (const kind of [14, 1059]) {
        const [, , ok, reason] = await publish(socket, signed(alice.secret, { kind, content: 'x'.repeat(3000) }));
        assert.equal(ok, false);
        assert.match(reason, /^invalid: direct message larger than 2000 bytes/);
      }
      const note = await publish(socket, signed(alice.secret, { kind: 1, content: 'x'.repeat(3000) }));
      assert.equal(note[2], true, 'other kinds are not DMs');
    } finally {
      socket.close();
    }
  });

  it('refuses DMs beyond the rate of one connection, not of another', async () => {
    const flooder = await rawSocket(relay.url);
    const other = await rawSocket(relay.url);
    try {
      const results = [];
      for (let i = 0; i < 8; i++)
        results.push(await publish(flooder, signed(alice.secret, { kind: 14, content: `m${i}` })));
      assert.deepEqual(
        results.map((r) => r[2]),
        [true, true, true, true, true, false, false, false],
      );
      assert.match(results[7]?.[3] ?? '', /^rate-limited:/);
      assert.equal((await publish(other, signed(alice.secret, { kind: 14, content: 'hi' })))[2], true);
    } finally {
      flooder.close();
      other.close();
    }
  });

  it("does not limit the node's own connection (its replies), once it has published as the node", async () => {
    const own = await rawSocket(relay.url);
    try {
      assert.equal((await publish(own, signed(node.secret, { kind: 1, content: 'profile' })))[2], true);
      const results = [];
      for (let i = 0; i < 8; i++)
        results.push(await publish(own, signed(alice.secret, { kind: 1059, content: `r${i}` })));
      assert.deepEqual(
        results.map((r) => r[2]),
        Array(8).fill(true),
        'gift wraps from one-time keys on the node connection',
      );
    } finally {
      own.close();
    }
  });

  it('refills over time', () => {
    const limit = new ConnectionDmLimit({ maxBytes: 100, perMinute: 60 }, 0);
    for (let i = 0; i < 60; i++) assert.equal(limit.check(14, 10, 0), null);
    assert.match(limit.check(14, 10, 0) ?? '', /rate-limited/);
    assert.equal(limit.check(14, 10, 1000), null, 'one token a second');
    assert.equal(limit.check(1, 10_000, 1000), null, 'not a DM');
  });
});
