// Kinds 38384 (§6.2), 38386 (§6.4), 30078 (§6.7), 8383 (§6.8), 10002 (§6.6) and 0 (§6.5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildDevFeeEvent,
  buildDisputeEvent,
  buildProfileEvent,
  buildRatesEvent,
  buildRatingEvent,
  buildRelayListEvent,
  EMPTY_RATING,
  ProtocolError,
  parseDevFeeEvent,
  parseDisputeEvent,
  parseProfileEvent,
  parseRatesEvent,
  parseRatingEvent,
  parseRelayListEvent,
  referenceUpdateRating,
} from '../../src/index.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const NOW = 1703016565;

describe('rating event 38384', () => {
  it('tags in mostrod order with Rust to_string numbers, no y tag', () => {
    let agg = { ...EMPTY_RATING };
    for (const v of [5, 3, 4]) agg = referenceUpdateRating(agg, v);
    const e = buildRatingEvent({ d: 'ab'.repeat(32), ...agg, days: 21, now: NOW });
    assert.deepEqual(e.tags, [
      ['d', 'ab'.repeat(32)],
      ['expiration', String(NOW + 90 * 86400)],
      ['total_reviews', '3'],
      ['total_rating', '3.1666666666666665'],
      ['last_rating', '4'],
      ['max_rate', '5'],
      ['min_rate', '3'],
      ['z', 'rating'],
      ['days', '21'],
    ]);
    assert.equal(e.kind, 38384);
    const parsed = parseRatingEvent(e);
    assert.equal(parsed.total_rating, 3.1666666666666665);
    assert.equal(parsed.since, undefined);
    assert.equal(parsed.last_rating, 4);
  });
  it('since (day-truncated) goes before z, as mostrod 0.20; reads back', () => {
    const e = buildRatingEvent({
      d: 'ab'.repeat(32),
      ...EMPTY_RATING,
      total_reviews: 1,
      days: 2,
      since: 1_700_000_000,
      now: NOW,
    });
    assert.deepEqual(e.tags.slice(-3), [
      ['since', '1699920000'],
      ['z', 'rating'],
      ['days', '2'],
    ]);
    assert.equal(parseRatingEvent(e).since, 1699920000);
  });
  it('total_rating prints 3 for 3.0 and keeps full precision', () => {
    const tag = (r: number) =>
      buildRatingEvent({
        d: 'x',
        total_reviews: 1,
        total_rating: r,
        last_rating: 1,
        max_rate: 1,
        min_rate: 1,
        days: 0,
        now: NOW,
      }).tags[3];
    assert.deepEqual(tag(3), ['total_rating', '3']);
    assert.deepEqual(tag(10 / 3), ['total_rating', '3.3333333333333335']);
    assert.deepEqual(tag(2.5), ['total_rating', '2.5']);
  });
});

describe('dispute event 38386', () => {
  it('tags d, expiration, s, initiator, published_at, y, z (mostrod 0.20)', () => {
    const e = buildDisputeEvent({
      disputeId: ID.toUpperCase(),
      status: 'initiated',
      initiator: 'seller',
      openedAt: NOW,
      instanceName: 'n',
      now: NOW,
    });
    assert.deepEqual(e.tags, [
      ['d', ID],
      ['expiration', String(NOW + 90 * 86400)],
      ['s', 'initiated'],
      ['initiator', 'seller'],
      ['published_at', String(NOW)],
      ['y', 'mostro', 'n'],
      ['z', 'dispute'],
    ]);
    const d = parseDisputeEvent({ ...e, created_at: NOW + 5 });
    assert.deepEqual(d, {
      id: ID,
      status: 'initiated',
      initiator: 'seller',
      opened_at: NOW,
      expiration: NOW + 90 * 86400,
      instance_name: 'n',
      created_at: NOW + 5,
    });
  });
  it('reads the opening time from published_at (0.20) and from created_at (older daemons)', () => {
    const tags = (name: string) => [
      ['d', ID],
      ['s', 'in-progress'],
      ['initiator', 'buyer'],
      [name, '1700000000'],
      ['y', 'mostro'],
      ['z', 'dispute'],
    ];
    for (const name of ['published_at', 'created_at']) {
      const d = parseDisputeEvent({ kind: 38386, created_at: 1700000100, content: '', tags: tags(name) });
      assert.equal(d.opened_at, 1700000000, name);
    }
    const bad = tags('published_at');
    bad[3] = ['published_at', 'x'];
    assert.throws(
      () => parseDisputeEvent({ kind: 38386, created_at: 1, content: '', tags: bad }),
      (e: unknown) => e instanceof ProtocolError && e.path === 'tags.published_at',
    );
  });
  it('rejects unknown statuses', () => {
    assert.throws(
      () =>
        parseDisputeEvent({
          kind: 38386,
          created_at: 1,
          content: '',
          tags: [
            ['d', ID],
            ['s', 'open'],
          ],
        }),
      (e: unknown) => e instanceof ProtocolError && e.path === 'tags.s',
    );
  });
});

describe('rates event 30078', () => {
  it('content keeps serde floats, expiration = now + min(2×interval, 3600)', () => {
    const e = buildRatesEvent({
      rates: { USD: 50000, EUR: 45000.5 },
      publishedAt: NOW,
      source: 'yadio,coingecko',
      updateIntervalSeconds: 300,
      now: NOW,
    });
    assert.equal(e.content, '{"BTC":{"USD":50000.0,"EUR":45000.5}}');
    assert.deepEqual(e.tags, [
      ['d', 'mostro-rates'],
      ['published_at', String(NOW)],
      ['source', 'yadio,coingecko'],
      ['expiration', String(NOW + 600)],
    ]);
    const long = buildRatesEvent({ rates: {}, publishedAt: NOW, source: 's', updateIntervalSeconds: 7200, now: NOW });
    assert.deepEqual(long.tags[3], ['expiration', String(NOW + 3600)]);
    assert.deepEqual(parseRatesEvent(e).rates, { USD: 50000, EUR: 45000.5 });
  });
  it('bad content is a typed error', () => {
    const bad = (content: string) =>
      assert.throws(
        () => parseRatesEvent({ kind: 30078, created_at: 1, content, tags: [['d', 'mostro-rates']] }),
        (e: unknown) => e instanceof ProtocolError && e.code === 'invalid_content',
      );
    bad('nope');
    bad('{"BTC":[1]}');
    bad('{"BTC":{"USD":"1"}}');
  });
});

describe('dev-fee event 8383', () => {
  it('tags order-id, amount, hash, destination, network, y, z, expiration', () => {
    const e = buildDevFeeEvent({
      orderId: ID,
      amount: 180,
      paymentHash: 'ff'.repeat(32),
      destination: 'dev@example.com',
      networks: ['regtest'],
      now: NOW,
    });
    assert.equal(e.kind, 8383);
    assert.deepEqual(e.tags, [
      ['order-id', ID],
      ['amount', '180'],
      ['hash', 'ff'.repeat(32)],
      ['destination', 'dev@example.com'],
      ['network', 'regtest'],
      ['y', 'mostro'],
      ['z', 'dev-fee-payment'],
      ['expiration', String(NOW + 365 * 86400)],
    ]);
    assert.equal(parseDevFeeEvent(e).amount, 180);
  });
});

describe('platform tag', () => {
  it('trims the instance name and drops an empty one', () => {
    const tags = (instanceName: string | null) =>
      buildDisputeEvent({ disputeId: ID, status: 'settled', initiator: 'buyer', openedAt: NOW, instanceName, now: NOW })
        .tags[5];
    assert.deepEqual(tags('  name  '), ['y', 'mostro', 'name']);
    assert.deepEqual(tags('   '), ['y', 'mostro']);
    assert.deepEqual(tags(null), ['y', 'mostro']);
  });
});

describe('relay list 10002 and profile 0', () => {
  it('one r tag per relay', () => {
    const e = buildRelayListEvent(['ws://127.0.0.1:7000', 'wss://nos.lol'], NOW);
    assert.deepEqual(e, {
      kind: 10002,
      tags: [
        ['r', 'ws://127.0.0.1:7000'],
        ['r', 'wss://nos.lol'],
      ],
      content: '',
      created_at: NOW,
    });
    assert.deepEqual(parseRelayListEvent({ ...e, tags: [...e.tags, ['r', 'wss://x', 'read']] }), [
      { url: 'ws://127.0.0.1:7000', marker: null },
      { url: 'wss://nos.lol', marker: null },
      { url: 'wss://x', marker: 'read' },
    ]);
  });
  it('profile content holds only configured fields, in order; nothing configured ⇒ no event', () => {
    const e = buildProfileEvent({ website: 'https://w', name: 'Mostro "P2P"' }, NOW)!;
    assert.equal(e.content, '{"name":"Mostro \\"P2P\\"","website":"https://w"}');
    assert.deepEqual(e.tags, []);
    assert.equal(buildProfileEvent({}, NOW), null);
    assert.deepEqual(parseProfileEvent(e), { name: 'Mostro "P2P"', website: 'https://w' });
    assert.throws(() => parseProfileEvent({ ...e, content: '[1]' }), ProtocolError);
  });
});
