// Kind 38383: tag order and status buckets of protocol.md §5.1/§6.1; client reading rules of clients.md V6.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildOrderEvent,
  latestByD,
  nextCreatedAt,
  ORDER_STATUSES,
  type OrderEventInput,
  ProtocolError,
  parseOrderEvent,
  publishedStatus,
} from '../../src/index.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const MOSTRO = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';

function input(over: Partial<OrderEventInput['order']> = {}, extra: Partial<OrderEventInput> = {}): OrderEventInput {
  return {
    order: {
      id: ID,
      kind: 'sell',
      status: 'pending',
      amount: 0,
      fiat_code: 'VES',
      fiat_amount: 100,
      min_amount: null,
      max_amount: null,
      payment_method: 'face to face,bank transfer',
      premium: 1,
      created_at: 1702540000,
      expires_at: 1719391096,
      ...over,
    },
    rating: { days: 10, total_rating: 4.5, total_reviews: 7 },
    mostroPubkey: MOSTRO,
    relays: ['wss://relay.mostro.network', 'wss://nos.lol'],
    networks: ['mainnet'],
    instanceName: 'test node',
    now: 1702548701,
    ...extra,
  };
}

describe('publishedStatus (§5.1 buckets)', () => {
  it('maps every status for both kinds', () => {
    const expected: Record<string, [string | null, string | null]> = {
      pending: ['pending', 'pending'],
      'waiting-taker-bond': ['pending', 'pending'],
      // Every state of a taken order, both kinds (mostrod: only these two, one kind each).
      'waiting-buyer-invoice': ['in-progress', 'in-progress'],
      'waiting-payment': ['in-progress', 'in-progress'],
      active: ['in-progress', 'in-progress'],
      'fiat-sent': ['in-progress', 'in-progress'],
      'settled-hold-invoice': ['in-progress', 'in-progress'],
      dispute: ['in-progress', 'in-progress'],
      canceled: ['canceled', 'canceled'],
      'canceled-by-admin': ['canceled', 'canceled'],
      'cooperatively-canceled': ['canceled', 'canceled'],
      expired: ['canceled', 'canceled'],
      success: ['success', 'success'],
      'completed-by-admin': ['completed-by-admin', 'completed-by-admin'],
    };
    for (const status of ORDER_STATUSES) {
      const [sell, buy] = expected[status] ?? [null, null];
      assert.equal(publishedStatus('sell', status), sell, `sell ${status}`);
      assert.equal(publishedStatus('buy', status), buy, `buy ${status}`);
    }
  });
});

describe('buildOrderEvent (§6.1)', () => {
  it('pending revision: exact tags in mostrod 0.20 order (published_at between layer and expires_at)', () => {
    const e = buildOrderEvent(input());
    assert.deepEqual(e, {
      kind: 38383,
      content: '',
      created_at: 1702548701,
      tags: [
        ['d', ID],
        ['k', 'sell'],
        ['f', 'VES'],
        ['s', 'pending'],
        ['amt', '0'],
        ['fa', '100'],
        ['pm', 'face to face', 'bank transfer'],
        ['premium', '1'],
        ['rating', '["rating",{"days":10,"total_rating":4.5,"total_reviews":7}]'],
        ['source', `mostro:${ID}?relays=wss://relay.mostro.network,wss://nos.lol&mostro=${MOSTRO}`],
        ['network', 'mainnet'],
        ['layer', 'lightning'],
        ['published_at', '1702540000'],
        ['expires_at', '1719391096'],
        ['expiration', '1719391096'],
        ['y', 'mostro', 'test node'],
        ['z', 'order'],
      ],
    });
  });

  it('published_at is the order creation time in every revision, and reads back', () => {
    for (const status of ['pending', 'success', 'canceled'] as const) {
      const e = buildOrderEvent(input({ status }, { now: 1702600000 + 1 }))!;
      assert.deepEqual(
        e.tags.find((t) => t[0] === 'published_at'),
        ['published_at', '1702540000'],
      );
      assert.equal(parseOrderEvent(e).published_at, 1702540000);
    }
  });

  it('rating: `since` (day-truncated) between days and total_rating, as serde_json orders keys; reads back', () => {
    const e = buildOrderEvent(
      input({}, { rating: { days: 3, since: 1700784123, total_rating: 4.8, total_reviews: 23 } }),
    )!;
    const rating = e.tags.find((t) => t[0] === 'rating')!;
    assert.equal(rating[1], '["rating",{"days":3,"since":1700784000,"total_rating":4.8,"total_reviews":23}]');
    assert.deepEqual(parseOrderEvent(e).rating, { days: 3, since: 1700784000, total_rating: 4.8, total_reviews: 23 });
  });

  it('reads a Cashu node order (trailing cashu_mint_url); Lightning orders have none', () => {
    const e = buildOrderEvent(input())!;
    assert.equal(parseOrderEvent(e).cashu_mint_url, null);
    const cashu = { ...e, tags: [...e.tags, ['cashu_mint_url', 'https://mint.example']] };
    assert.equal(parseOrderEvent(cashu).cashu_mint_url, 'https://mint.example');
  });

  it('a pending range order publishes fa = [min, max]; unknown maker shows zero rating with 0.0', () => {
    const e = buildOrderEvent(input({ fiat_amount: 0, min_amount: 10, max_amount: 200 }, { rating: null }))!;
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'fa'),
      ['fa', '10', '200'],
    );
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'rating'),
      ['rating', '["rating",{"days":0,"total_rating":0.0,"total_reviews":0}]'],
    );
  });

  it('non-pending revisions: no rating/source, fa = [fiat_amount], expiration now + 30 d, unknown network', () => {
    const e = buildOrderEvent(
      input({ status: 'success', fiat_amount: 15, min_amount: 10, max_amount: 200 }, { networks: null }),
    )!;
    const names = e.tags.map((t) => t[0]);
    assert.ok(!names.includes('rating') && !names.includes('source'));
    assert.deepEqual(
      e.tags.find((t) => t[0] === 's'),
      ['s', 'success'],
    );
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'fa'),
      ['fa', '15'],
    );
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'expiration'),
      ['expiration', String(1702548701 + 30 * 86400)],
    );
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'network'),
      ['network', 'unknown'],
    );
  });

  it('a pending order without expires_at falls back to now + 30 d', () => {
    const e = buildOrderEvent(input({ expires_at: 0 }))!;
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'expiration'),
      ['expiration', String(1702548701 + 30 * 86400)],
    );
  });

  it('statuses without a bucket publish nothing; a taken sell order publishes in-progress', () => {
    assert.equal(buildOrderEvent(input({ status: 'waiting-maker-bond' })), null);
    const taken = buildOrderEvent(input({ status: 'waiting-payment' }))!;
    assert.deepEqual(
      taken.tags.find((t) => t[0] === 's'),
      ['s', 'in-progress'],
    );
    assert.equal(
      taken.tags.find((t) => t[0] === 'source'),
      undefined,
    );
  });

  it('pm splits on commas without trimming and drops empty items', () => {
    const e = buildOrderEvent(input({ payment_method: 'a, b,,c' }))!;
    assert.deepEqual(
      e.tags.find((t) => t[0] === 'pm'),
      ['pm', 'a', ' b', 'c'],
    );
  });

  it('revisions get strictly increasing created_at', () => {
    assert.equal(nextCreatedAt(null, 100), 100);
    assert.equal(nextCreatedAt(100, 100), 101);
    assert.equal(nextCreatedAt(105, 100), 106);
    assert.equal(nextCreatedAt(99, 100), 100);
    assert.equal(buildOrderEvent(input({}, { previousCreatedAt: 1702548701 }))!.created_at, 1702548702);
  });

  it('invalid builder input is a typed error', () => {
    assert.throws(() => buildOrderEvent(input({ id: 'nope' })), ProtocolError);
    assert.throws(() => buildOrderEvent(input({ amount: 1.5 })), ProtocolError);
  });
});

describe('parseOrderEvent (clients.md V6)', () => {
  const event = (tags: string[][], created_at = 1000) => ({ kind: 38383, tags, content: '', created_at });
  const base = [
    ['d', ID],
    ['k', 'buy'],
    ['f', 'USD'],
    ['s', 'pending'],
    ['amt', '0'],
  ];

  it('round-trips a built event', () => {
    const o = parseOrderEvent({ ...buildOrderEvent(input())!, pubkey: MOSTRO });
    assert.equal(o.id, ID);
    assert.equal(o.kind, 'sell');
    assert.equal(o.status, 'pending');
    assert.equal(o.fiat_amount, 100);
    assert.equal(o.payment_method, 'face to face,bank transfer');
    assert.deepEqual(o.rating, { days: 10, total_rating: 4.5, total_reviews: 7 });
    assert.equal(o.instance_name, 'test node');
    assert.equal(o.pubkey, MOSTRO);
    assert.equal(o.expires_at, 1719391096);
  });

  it('fa with two values ⇒ min/max', () => {
    const o = parseOrderEvent(event([...base, ['fa', '10', '200']]));
    assert.equal(o.min_amount, 10);
    assert.equal(o.max_amount, 200);
    assert.equal(o.fiat_amount, 0);
  });

  it('an fa value containing "." is ignored', () => {
    const o = parseOrderEvent(event([...base, ['fa', '10.5']]));
    assert.equal(o.fiat_amount, 0);
    assert.equal(o.min_amount, null);
  });

  it('pm values are joined with ","', () => {
    assert.equal(
      parseOrderEvent(event([...base, ['pm', 'SEPA', 'Bank transfer']])).payment_method,
      'SEPA,Bank transfer',
    );
  });

  it('unknown s ⇒ pending', () => {
    const tags = base.map((t) => (t[0] === 's' ? ['s', 'weird'] : t));
    assert.equal(parseOrderEvent(event(tags)).status, 'pending');
    assert.equal(parseOrderEvent(event(base.filter((t) => t[0] !== 's'))).status, 'pending');
  });

  it('newest created_at per d wins', () => {
    const other = '408e1272-d5f4-47e6-bd97-3504baea9c24';
    const a1 = { ...event(base, 10), id: 'a1' };
    const a2 = { ...event(base, 20), id: 'a2' };
    const b1 = { ...event([['d', other], ...base.slice(1)], 15), id: 'b1' };
    const latest = latestByD([a1, b1, a2]);
    assert.deepEqual(latest.map((e) => e.id).sort(), ['a2', 'b1']);
    // Ties: the lowest id wins (NIP-01).
    const tie = latestByD([
      { ...event(base, 20), id: 'ff' },
      { ...event(base, 20), id: '0a' },
    ]);
    assert.equal(tie[0]!.id, '0a');
  });

  it('typed errors for unusable events', () => {
    const code = (e: unknown, c: string, path?: string) =>
      assert.throws(
        () => parseOrderEvent(e),
        (x: unknown) => x instanceof ProtocolError && x.code === c && (path === undefined || x.path === path),
      );
    code({ ...event(base), kind: 1 }, 'wrong_kind', 'kind');
    code(event(base.filter((t) => t[0] !== 'd')), 'missing_tag', 'tags.d');
    code(event(base.map((t) => (t[0] === 'amt' ? ['amt', 'abc'] : t))), 'invalid_tag', 'tags.amt');
    code(event(base.map((t) => (t[0] === 'k' ? ['k', 'swap'] : t))), 'invalid_tag', 'tags.k');
    code(event([...base, ['rating', 'not json']]), 'invalid_tag', 'tags.rating');
    code(null, 'invalid_event');
    code({ ...event(base), tags: [[1]] }, 'invalid_event', 'tags');
  });
});
