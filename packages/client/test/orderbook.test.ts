import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NostrEvent } from '@mostro/protocol';
import { OrderBook } from '../src/orderbook/book.ts';
import { parseOrderEvent } from '../src/orderbook/entry.ts';
import { makerStanding, matchesFilter, newestPerId, type OrderBookEntry } from '../src/orderbook/filters.ts';

const NODE = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';
let n = 0;
function ev(tags: string[][], created_at = 1000, pubkey = NODE): NostrEvent {
  n++;
  return {
    id: n.toString(16).padStart(64, '0'),
    pubkey,
    created_at,
    kind: 38383,
    tags,
    content: '',
    sig: '0'.repeat(128),
  };
}
const id = (i: number) => `${String(i).padStart(8, '0')}-d5f4-47e6-bd97-3504baea9c23`;
function order(
  i: number,
  o: {
    k?: string;
    f?: string;
    s?: string;
    fa?: string[];
    pm?: string[];
    premium?: string;
    rating?: object;
    at?: number;
  } = {},
) {
  return ev(
    [
      ['d', id(i)],
      ['k', o.k ?? 'sell'],
      ['f', o.f ?? 'EUR'],
      ['s', o.s ?? 'pending'],
      ['amt', '0'],
      ['fa', ...(o.fa ?? ['100'])],
      ['pm', ...(o.pm ?? ['SEPA'])],
      ['premium', o.premium ?? '0'],
      ...(o.rating ? [['rating', JSON.stringify(['rating', o.rating])]] : []),
      ['z', 'order'],
    ],
    o.at ?? 1000,
  );
}

describe('order events', () => {
  it('parses NIP-69 tags with the V6 rules', () => {
    const e = parseOrderEvent(
      order(1, {
        fa: ['10', '200'],
        pm: ['face to face', 'bank transfer'],
        s: 'weird',
        rating: { days: 3, total_rating: 4.5, total_reviews: 7 },
      }),
    ) as OrderBookEntry;
    assert.deepEqual(e.fiatAmount, [10, 200]);
    assert.deepEqual(e.paymentMethods, ['face to face', 'bank transfer']);
    assert.equal(e.status, 'pending');
    assert.deepEqual(e.rating, { days: 3, totalRating: 4.5, totalReviews: 7 });
    assert.deepEqual(parseOrderEvent(order(2, { fa: ['10.5', '20'] }))?.fiatAmount, [20]);
    assert.equal(parseOrderEvent(order(3, { k: 'lend' })), null);
    assert.equal(parseOrderEvent({ ...order(4), kind: 1 }), null);
  });
});

describe('filters', () => {
  const book = [
    parseOrderEvent(
      order(1, {
        k: 'sell',
        f: 'EUR',
        fa: ['100'],
        premium: '2',
        rating: { days: 1, total_rating: 4.8, total_reviews: 9 },
      }),
    ),
    parseOrderEvent(order(2, { k: 'buy', f: 'usd', fa: ['50', '500'], pm: ['Zelle'], premium: '-1' })),
    parseOrderEvent(order(3, { k: 'sell', f: 'EUR', s: 'canceled' })),
  ] as OrderBookEntry[];
  const ids = (f: Parameters<typeof matchesFilter>[1]) =>
    book.filter((e) => matchesFilter(e, f)).map((e) => e.id.slice(0, 8));

  it('defaults to pending and filters by each criterion', () => {
    assert.deepEqual(ids({}), ['00000001', '00000002']);
    assert.deepEqual(ids({ status: 'canceled' }), ['00000003']);
    assert.deepEqual(ids({ kind: 'buy' }), ['00000002']);
    assert.deepEqual(ids({ fiat: 'USD' }), ['00000002']);
    assert.deepEqual(ids({ fiat: ['usd', 'eur'] }), ['00000001', '00000002']);
    assert.deepEqual(ids({ paymentMethod: 'zel' }), ['00000002']);
    assert.deepEqual(ids({ fiatAmount: 100 }), ['00000001', '00000002']);
    assert.deepEqual(ids({ fiatAmount: 600 }), []);
    assert.deepEqual(ids({ minPremium: 0 }), ['00000001']);
    assert.deepEqual(ids({ maxPremium: 0 }), ['00000002']);
    assert.deepEqual(ids({ minRating: 4.5 }), ['00000001']);
    assert.deepEqual(ids({ minReviews: 1 }), ['00000001']);
  });
});

describe('maker reputation in the book', () => {
  const withRating = (n: number, rating: { days: number; total_rating: number; total_reviews: number } | undefined) =>
    parseOrderEvent(order(n, rating ? { rating } : {})) as OrderBookEntry;
  const zeros = withRating(1, { days: 0, total_rating: 0, total_reviews: 0 });
  const unrated = withRating(2, { days: 30, total_rating: 0, total_reviews: 0 });
  const rated = withRating(3, { days: 30, total_rating: 4.6, total_reviews: 5 });
  const low = withRating(4, { days: 9, total_rating: 2, total_reviews: 3 });
  const absent = withRating(5, undefined);

  it('all zeros and no rating tag read as private or new today; days without votes as unrated', () => {
    assert.equal(makerStanding(zeros), 'private-or-new');
    assert.equal(makerStanding(absent), 'private-or-new');
    assert.equal(makerStanding(unrated), 'unrated');
    assert.equal(makerStanding(rated), 'rated');
  });

  it('a minimum rating keeps rated makers above it, and the others only when asked', () => {
    const all = [zeros, unrated, rated, low, absent];
    const ids = (f: Parameters<typeof matchesFilter>[1]) => all.filter((e) => matchesFilter(e, f)).map((e) => e.id[7]);
    assert.deepEqual(ids({ minRating: 4 }), ['3']);
    assert.deepEqual(ids({ minRating: 4, withoutReputation: true }), ['1', '2', '3', '5']);
    assert.deepEqual(ids({ minRating: 0 }), ['3', '4'], 'a zero minimum still asks for a rating');
    assert.deepEqual(ids({ minReviews: 4 }), ['3']);
    assert.deepEqual(ids({}), ['1', '2', '3', '4', '5'], 'no rating filter: everyone');
  });
});

describe('newest revision per d', () => {
  it('keeps the newest created_at, whatever the arrival order', () => {
    const revs = [
      order(7, { s: 'pending', at: 100 }),
      order(7, { s: 'success', at: 300 }),
      order(7, { s: 'in-progress', at: 200 }),
    ];
    const m = newestPerId(revs.map((r) => parseOrderEvent(r) as OrderBookEntry));
    assert.equal(m.get(id(7))?.status, 'success');

    const b = new OrderBook({ status: 'pending' });
    assert.ok(b.add(revs[1] as NostrEvent, NODE));
    assert.equal(b.add(revs[0] as NostrEvent, NODE), null, 'an older revision never replaces a newer one');
    assert.equal(b.entries().length, 0, 'the order is no longer pending');
    assert.equal(b.get(id(7))?.status, 'success');
    assert.equal(b.add(order(8, { at: 50 }), 'f'.repeat(64)), null, 'events from another author are ignored');
  });
});
