// Range continuation bounds (protocol.md §5.5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childRange } from '../../src/app/range-child.ts';
import type { OrderRow } from '../../src/db/orders.ts';

const parent = (min: number | null, max: number | null, taken: number) =>
  ({ min_amount: min, max_amount: max, fiat_amount: taken }) as OrderRow;

describe('childRange', () => {
  it('what is left above the minimum stays a range', () => {
    assert.deepEqual(childRange(parent(10, 100, 30)), { min: 10, max: 70, fiat: 0 });
  });
  it('exactly the minimum left becomes a fixed order', () => {
    assert.deepEqual(childRange(parent(10, 100, 90)), { min: null, max: null, fiat: 10 });
  });
  it('less than the minimum left, or not a range: no child', () => {
    assert.equal(childRange(parent(10, 100, 95)), null);
    assert.equal(childRange(parent(10, 100, 100)), null);
    assert.equal(childRange(parent(null, null, 100)), null);
  });
});
