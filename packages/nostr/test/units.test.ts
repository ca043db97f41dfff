import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { browserRelayPool } from '../src/browser.ts';
import {
  acceptedByAny,
  backoffDelay,
  DEFAULT_RESUME_MARGIN_SECONDS,
  describePublishResults,
  GIFT_WRAP_BACKDATE_SECONDS,
  resumeFilters,
  resumeMarginFor,
  SeenIds,
} from '../src/index.ts';

describe('SeenIds', () => {
  it('remembers ids and forgets the least recently seen beyond its capacity', () => {
    const seen = new SeenIds(2);
    assert.equal(seen.add('a'), true);
    assert.equal(seen.add('b'), true);
    assert.equal(seen.add('a'), false); // refreshes a: b is now the oldest
    assert.equal(seen.add('c'), true);
    assert.equal(seen.has('b'), false);
    assert.equal(seen.has('a'), true);
    assert.equal(seen.has('c'), true);
    assert.equal(seen.size, 2);
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.string({ maxLength: 3 })), (capacity, ids) => {
        const seen = new SeenIds(capacity);
        for (const id of ids) seen.add(id);
        assert.ok(seen.size <= capacity);
        if (ids.length > 0) assert.ok(seen.has(ids.at(-1)!));
      }),
    );
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new SeenIds(0), RangeError);
    assert.throws(() => new SeenIds(1.5), RangeError);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay, caps at the maximum, and jitters into [d/2, d]', () => {
    const opts = { initialMs: 100, maxMs: 1000 };
    assert.equal(
      backoffDelay(0, opts, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, opts, () => 0.999999),
      100,
    );
    assert.equal(
      backoffDelay(3, opts, () => 0.999999),
      800,
    );
    assert.equal(
      backoffDelay(4, opts, () => 0.999999),
      1000,
    );
    assert.equal(
      backoffDelay(1000, opts, () => 0),
      500,
    );
  });

  it('stays within bounds for any attempt and randomness', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, {}, () => r);
        assert.ok(d >= 250 && d <= 30_000, String(d));
      }),
    );
  });
});

describe('resumeFilters', () => {
  it('asks again from the last event seen minus the margin, without limit', () => {
    const filters = [{ kinds: [14], authors: ['a'], limit: 10 }];
    assert.deepEqual(resumeFilters(filters, { lastSeen: 1000, droppedAt: 2000, marginSeconds: 60 }), [
      { kinds: [14], authors: ['a'], since: 940 },
    ]);
  });

  it('uses the drop time when nothing was seen or when the last event claims a later time', () => {
    const filters = [{ kinds: [14] }];
    assert.deepEqual(resumeFilters(filters, { lastSeen: undefined, droppedAt: 2000, marginSeconds: 60 }), [
      { kinds: [14], since: 1940 },
    ]);
    assert.deepEqual(resumeFilters(filters, { lastSeen: 9_999_999, droppedAt: 2000, marginSeconds: 60 }), [
      { kinds: [14], since: 1940 },
    ]);
  });

  it("never asks for less than the filter's own since", () => {
    assert.deepEqual(resumeFilters([{ since: 1990 }], { lastSeen: 1000, droppedAt: 2000, marginSeconds: 60 }), [
      { since: 1990 },
    ]);
  });

  it('does not modify the filters it is given', () => {
    const filters = [{ kinds: [1], limit: 5 }];
    resumeFilters(filters, { lastSeen: 1, droppedAt: 2, marginSeconds: 0 });
    assert.deepEqual(filters, [{ kinds: [1], limit: 5 }]);
  });
});

describe('resumeMarginFor', () => {
  it('widens the margin to the gift-wrap back-dating window when filters can match wraps or seals', () => {
    const wide = GIFT_WRAP_BACKDATE_SECONDS + DEFAULT_RESUME_MARGIN_SECONDS;
    assert.equal(resumeMarginFor([{ kinds: [1059], '#p': ['x'] }]), wide);
    assert.equal(resumeMarginFor([{ kinds: [14] }, { kinds: [13] }]), wide);
    assert.equal(resumeMarginFor([{ '#p': ['x'] }]), wide);
    assert.equal(resumeMarginFor([{ kinds: [14, 38383] }]), DEFAULT_RESUME_MARGIN_SECONDS);
  });
});

describe('publish results', () => {
  it('count as accepted when one relay took the event, and name every outcome', () => {
    const ok = { url: 'wss://a', ok: true as const, message: '' };
    const no = { url: 'wss://b', ok: false as const, code: 'rejected' as const, message: 'blocked: pow' };
    assert.equal(acceptedByAny([no, ok]), true);
    assert.equal(acceptedByAny([no]), false);
    assert.equal(acceptedByAny([]), false);
    assert.equal(describePublishResults([ok, no]), 'wss://a: ok; wss://b: rejected blocked: pow');
    assert.equal(describePublishResults([]), 'no relay configured');
  });
});

describe('browserRelayPool', () => {
  it('uses the native WebSocket and says so when there is none', () => {
    const native = (globalThis as { WebSocket?: unknown }).WebSocket;
    const made: string[] = [];
    class FakeSocket {
      constructor(url: string) {
        made.push(url);
        throw new Error('no network in this test');
      }
    }
    try {
      (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
      const pool = browserRelayPool({ relays: ['wss://relay.example'], backoff: { initialMs: 60_000 } });
      pool.close();
      assert.deepEqual(made, ['wss://relay.example/']);
      (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
      assert.throws(() => browserRelayPool({ relays: [] }), /no WebSocket/);
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = native;
    }
  });
});
