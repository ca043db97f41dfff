// The solver's dispute list reads 38386 events of both generations: mostrod ≥ 0.20 (and our node)
// put the opening time in `published_at`, older daemons in `created_at`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NostrEvent } from 'nostr-tools';
import { parseDisputeEvent } from '../src/admin.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const event = (openedTag: string): NostrEvent => ({
  kind: 38386,
  created_at: 1700000100,
  content: '',
  pubkey: 'aa'.repeat(32),
  id: 'bb'.repeat(32),
  sig: 'cc'.repeat(64),
  tags: [
    ['d', ID],
    ['s', 'in-progress'],
    ['initiator', 'seller'],
    [openedTag, '1700000000'],
    ['y', 'mostro'],
    ['z', 'dispute'],
  ],
});

describe('dispute list entries (38386)', () => {
  for (const name of ['published_at', 'created_at']) {
    it(`opening time from ${name}`, () => {
      assert.deepEqual(parseDisputeEvent(event(name)), {
        id: ID,
        status: 'in-progress',
        initiator: 'seller',
        openedAt: 1700000000,
        updatedAt: 1700000100,
      });
    });
  }
  it('no opening tag: unknown, not 0', () => {
    assert.equal(parseDisputeEvent(event('other'))?.openedAt, null);
  });
});
