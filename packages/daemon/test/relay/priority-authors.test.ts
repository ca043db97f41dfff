// Known trade keys are served before a backlog of other frames (relay/incoming-queue.ts): the node
// hands the relay what changed in its set of known keys (added, removed) rather than the whole set
// each time, and the relay serves exactly the keys it was told about, never dropping its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { PendingKeyChange } from '../../src/intake/spam-gate.ts';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../src/relay/index.ts';
import { keypair, signed } from './nostr-fixtures.ts';

const FLOOD = 120;

/** Opens two sockets and records, in one list, whose OK came back in which order. */
async function race(url: string, flooder: Uint8Array, known: Uint8Array): Promise<string[]> {
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const [flood, user] = await Promise.all([open(), open()]);
  const order: string[] = [];
  const done = new Promise<void>((resolve) => {
    const seen = () => order.length === FLOOD + 1 && resolve();
    flood.on('message', () => {
      order.push('flood');
      seen();
    });
    user.on('message', () => {
      order.push('known');
      seen();
    });
  });
  for (let i = 0; i < FLOOD; i++) flood.send(JSON.stringify(['EVENT', signed(flooder, { kind: 1, content: `j${i}` })]));
  user.send(JSON.stringify(['EVENT', signed(known, { kind: 14, content: 'take' })]));
  await done;
  flood.close();
  user.close();
  return order;
}

describe('embedded relay: priority authors by difference', () => {
  let relay: EmbeddedRelay;
  const node = keypair();
  const bob = keypair();
  const junk = keypair();

  before(async () => {
    relay = await startEmbeddedRelay({ purgeIntervalMs: 0, dmPerMinute: 10_000, priorityAuthors: [node.pubkey] });
  });
  after(() => relay.close());

  it('a key added is served ahead of a backlog; once removed it waits its turn', async () => {
    relay.updatePriorityAuthors({ added: [bob.pubkey], removed: [] });
    const first = await race(relay.url, junk.secret, bob.secret);
    assert.ok(first.indexOf('known') < FLOOD / 2, `known key answered at ${first.indexOf('known')} of ${FLOOD + 1}`);

    relay.updatePriorityAuthors({ added: [], removed: [bob.pubkey, node.pubkey] });
    const second = await race(relay.url, junk.secret, bob.secret);
    // Behind what was queued when it arrived (a few flood frames may be handled before that).
    assert.ok(second.indexOf('known') > (FLOOD * 3) / 4, `answered at ${second.indexOf('known')} of ${FLOOD + 1}`);
  });

  it("never drops the node's own key", async () => {
    const third = await race(relay.url, junk.secret, node.secret);
    assert.ok(third.indexOf('known') < FLOOD / 2, `node key answered at ${third.indexOf('known')}`);
  });
});

describe('pending key changes between two hand-overs', () => {
  it('nets out a key added then removed, and the reverse; the first change asks for a hand-over', () => {
    const pending = new PendingKeyChange();
    assert.equal(pending.record({ added: ['a', 'b'], removed: ['x'] }), true);
    assert.equal(pending.record({ added: ['x'], removed: ['a'] }), false);
    assert.deepEqual(pending.take(), { added: ['b'], removed: [] });
    assert.equal(pending.record({ added: ['c'], removed: [] }), true, 'a new round after take()');
    assert.deepEqual(pending.take(), { added: ['c'], removed: [] });
    assert.deepEqual(pending.take(), { added: [], removed: [] });
  });

  it('asks for one hand-over per round, even after the changes so far cancelled out', () => {
    const pending = new PendingKeyChange();
    assert.equal(pending.record({ added: ['a'], removed: [] }), true);
    assert.equal(pending.record({ added: [], removed: ['a'] }), false);
    assert.equal(pending.record({ added: ['c'], removed: [] }), false, 'the hand-over already scheduled carries it');
    assert.deepEqual(pending.take(), { added: ['c'], removed: [] });
  });
});
