// The human views of a trade: the deadline that applies now only, the real id in hints, plurals,
// and no fake zero reputation for a counterparty who has none to show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTrade, type TradeRecord } from '@mostro/client';
import { plural } from '../src/lib/output.ts';
import { tradeDetail, tradeLine } from '../src/lib/show.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const now = Math.floor(Date.now() / 1000);
const trade = (patch: Partial<TradeRecord>): TradeRecord => ({
  ...newTrade({
    orderId: ID,
    nodePubkey: 'a'.repeat(64),
    role: 'taker',
    kind: 'sell',
    tradeIndex: 1,
    fullPrivate: false,
    now,
  }),
  ...patch,
});
const sellerMustPay = { what: 'the seller must pay the hold invoice', at: now - 600 };

test('only the deadline that applies now: none after fiat-sent or success', () => {
  for (const status of ['active', 'fiat-sent', 'settled-hold-invoice', 'success', 'canceled'] as const) {
    const line = tradeLine(trade({ status, deadline: sellerMustPay }));
    assert.equal(line[4], '-', `${status}: ${line[4]}`);
    assert.ok(
      !tradeDetail(trade({ status, deadline: sellerMustPay }))
        .join('\n')
        .includes('must pay'),
    );
  }
  const waiting = tradeLine(trade({ status: 'waiting-payment', deadline: { ...sellerMustPay, at: now + 300 } }));
  assert.match(waiting[4] as string, /the seller must pay the hold invoice in/);
});

test('the next-step hint carries the real order id', () => {
  const line = tradeLine(trade({ status: 'active', next: 'fiat-sent' }));
  assert.equal(line[5], `next: mostro fiat-sent ${ID}`);
});

test('plurals and a counterparty without reputation', () => {
  assert.equal(plural(1, 'review'), '1 review');
  assert.equal(plural(2, 'review'), '2 reviews');
  assert.equal(plural(0, 'open trade'), '0 open trades');
  const one = tradeDetail(trade({ counterpartyReputation: { rating: 5, reviews: 1, operating_days: 1 } })).join('\n');
  assert.match(one, /★5\.0 from 1 review, 1 day on this node/);
  const none = tradeDetail(trade({ counterpartyReputation: { rating: 0, reviews: 0, operating_days: 0 } })).join('\n');
  assert.doesNotMatch(none, /★0\.0|0 reviews/);
  assert.match(none, /counterparty reputation: private, or new today \(no reputation\)/);
  const unrated = tradeDetail(trade({ counterpartyReputation: { rating: 0, reviews: 0, operating_days: 12 } })).join(
    '\n',
  );
  assert.match(unrated, /counterparty reputation: no ratings yet, 12 days on this node/);
  assert.doesNotMatch(unrated, /private/);
});

test('keys a person copies are shown as npub', () => {
  const detail = tradeDetail(
    trade({ counterpartyPubkey: 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950' }),
  ).join('\n');
  assert.match(detail, /counterparty trade key: npub1kjlk2jxlqsmcveqafd37wj8d5j64ln3ph6hfj9gj6g6g03aa39gqjm37vm/);
});
