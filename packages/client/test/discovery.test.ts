// The SDK mines to the PoW the node advertises now: a node that raised its first-contact PoW under
// load (and republished its info) is followed within the refresh interval, not cached forever.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { type NostrEvent, publicKeyOf, signEvent } from '@mostro/protocol';
import { NodeDirectory } from '../src/client/discovery.ts';
import type { Relays } from '../src/net/relays.ts';

const nodeSk = new Uint8Array(32).fill(9);
const node = publicKeyOf(nodeSk);
const info = (powFirstContact: number, createdAt: number): NostrEvent =>
  signEvent(
    {
      kind: 38385,
      created_at: createdAt,
      content: '',
      tags: [
        ['d', node],
        ['pow', '0'],
        ['pow_first_contact', String(powFirstContact)],
        ['protocol_version', '2'],
      ],
    },
    nodeSk,
  );

describe('node directory: advertised proof of work', () => {
  it('re-reads the info event once the cached one is older than 30 s', async () => {
    let stored = [info(0, 1000)];
    const relays: Relays = {
      publish: async () => [],
      subscribe: (_filters, h) => {
        queueMicrotask(() => {
          for (const e of stored) h.onevent(e, 'memory');
          h.oneose?.();
        });
        return { close() {} };
      },
      close() {},
    };
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    try {
      const directory = new NodeDirectory(relays, node, 500, () => null);
      assert.equal(await directory.powFor('nip44'), 0);
      stored = [info(0, 1000), info(12, 1010)]; // the node raised it under load
      assert.equal(await directory.powFor('nip44'), 0, 'cached within the interval');
      mock.timers.tick(31_000);
      assert.equal(await directory.powFor('nip44'), 12);
      stored = [];
      mock.timers.tick(31_000);
      assert.equal(await directory.powFor('nip44'), 12, 'relays silent: the last known value stands');
    } finally {
      mock.timers.reset();
    }
  });
});
