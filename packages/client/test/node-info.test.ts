// The node info the SDK reads from kind 38385: the maintenance (drain) mode of mostrod 0.20.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NostrEvent } from '@mostro/protocol';
import { parseNodeInfo } from '../src/node/info.ts';

const event = (tags: string[][]): NostrEvent => ({
  id: '0'.repeat(64),
  pubkey: '1'.repeat(64),
  created_at: 1_700_000_000,
  kind: 38385,
  tags: [['d', '1'.repeat(64)], ...tags],
  content: '',
  sig: '0'.repeat(128),
});

describe('parseNodeInfo: maintenance_mode', () => {
  it('true and false as published; absent (a node before 0.20) or garbage is unknown', () => {
    assert.equal(parseNodeInfo(event([['maintenance_mode', 'true']]))?.maintenance, true);
    assert.equal(parseNodeInfo(event([['maintenance_mode', 'false']]))?.maintenance, false);
    assert.equal(parseNodeInfo(event([]))?.maintenance, null);
    assert.equal(parseNodeInfo(event([['maintenance_mode', 'yes']]))?.maintenance, null);
  });
});
