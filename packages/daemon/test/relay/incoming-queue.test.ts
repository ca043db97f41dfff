// The embedded relay's incoming queue: the node's connection first, every connection's own frames in
// order, ordinary frames a few per turn, and a bounded backlog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncomingQueue } from '../../src/relay/incoming-queue.ts';

function manual(options: { perTurn?: number; maxWaiting?: number } = {}) {
  const turns: (() => void)[] = [];
  const queue = new IncomingQueue({ ...options, defer: (turn) => turns.push(turn) });
  const handled: string[] = [];
  const frame = (name: string) => () => handled.push(name);
  const turn = () => turns.shift()?.();
  return { queue, handled, frame, turn, turns };
}

describe('relay incoming queue', () => {
  it("handles the node's frames before a flood's backlog, the flood a few per turn in arrival order", () => {
    const { queue, handled, frame, turn } = manual({ perTurn: 2 });
    const junk = [{}, {}, {}];
    const node = {};
    for (const [i, c] of junk.entries()) queue.push(c, frame(`junk${i}`), false);
    queue.push(node, frame('reply'), true);
    assert.deepEqual(handled, ['reply']);
    turn();
    assert.deepEqual(handled, ['reply', 'junk0', 'junk1']);
    turn();
    assert.deepEqual(handled, ['reply', 'junk0', 'junk1', 'junk2']);
    assert.equal(queue.length, 0);
  });

  it("keeps one connection's frames in order when it becomes priority with frames still waiting", () => {
    const { queue, handled, frame, turn } = manual({ perTurn: 1 });
    const node = {};
    queue.push(node, frame('req'), false);
    queue.push(node, frame('event'), true);
    assert.deepEqual(handled, [], 'waits behind its own earlier frame');
    turn();
    turn();
    assert.deepEqual(handled, ['req', 'event']);
    queue.push(node, frame('next'), true);
    assert.deepEqual(handled, ['req', 'event', 'next'], 'at once when nothing of it waits');
  });

  it('handles a backlog at its bound at once, in order, instead of holding more', () => {
    const { queue, handled, frame, turns } = manual({ perTurn: 1, maxWaiting: 3 });
    const c = {};
    queue.push(c, frame('a'), false);
    queue.push(c, frame('b'), false);
    assert.deepEqual(handled, []);
    queue.push(c, frame('c'), false);
    assert.deepEqual(handled, ['a', 'b', 'c']);
    assert.equal(queue.length, 0);
    assert.ok(turns.length <= 1);
  });

  it('a frame that throws does not stop the ones after it', () => {
    const { queue, handled, frame, turn } = manual({ perTurn: 3 });
    queue.push(
      {},
      () => {
        throw new Error('boom');
      },
      false,
    );
    queue.push({}, frame('after'), false);
    const warn = console.warn;
    console.warn = () => {};
    try {
      turn();
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(handled, ['after']);
  });
});
