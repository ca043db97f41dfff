// Every absurd order of issue 13 item 4 is refused with a cant-do reason and stores nothing; the
// caps on pending orders hold per identity (or full-private trade key) and for the whole node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SmallOrder } from '@mostro/protocol';
import { countPendingOrders } from '../../src/db/order-counts.ts';
import { Harness, type User } from './harness.ts';

const order = (fields: Partial<SmallOrder> = {}): SmallOrder => ({
  kind: 'sell',
  status: 'pending',
  amount: 0,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 100,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: null,
  expires_at: null,
  ...fields,
});

async function refused(h: Harness, user: User, o: SmallOrder, tradeIndex?: number | null): Promise<string | null> {
  const before = countPendingOrders(h.db);
  const mark = h.mark();
  await h.send(user, 'new-order', { payload: { order: o }, ...(tradeIndex !== undefined ? { tradeIndex } : {}) });
  assert.equal(countPendingOrders(h.db), before, 'nothing stored');
  assert.ok(!h.to(user, mark).some((m) => m.action === 'new-order'), 'no ack');
  return h.cantDo(user);
}

describe('order sanity in new-order', () => {
  it('refuses every absurd order of the attack with a reason', async () => {
    const h = new Harness({ settings: { mostro: { fiat_currencies_accepted: [] } } });
    try {
      const u = h.user('maker');
      assert.equal(await refused(h, u, order({ premium: 100_000 })), 'invalid_parameters');
      assert.equal(await refused(h, u, order({ premium: -1_000_000 })), 'invalid_parameters');
      assert.equal(await refused(h, u, order({ payment_method: 'x'.repeat(60_000) })), 'invalid_parameters');
      assert.equal(
        await refused(h, u, order({ payment_method: Array(11).fill('cash').join(',') })),
        'invalid_parameters',
      );
      assert.equal(await refused(h, u, order({ payment_method: '  ' })), 'invalid_parameters');
      assert.equal(await refused(h, u, order({ fiat_code: 'ZZZ' })), 'invalid_fiat_currency');
      assert.equal(await refused(h, u, order(), -7), 'invalid_trade_index');
      assert.equal(await refused(h, u, order(), 0), 'invalid_trade_index');
      const full = h.user('full', { fullPrivacy: true });
      assert.equal(await refused(h, full, order(), -7), 'invalid_trade_index');
      // The limits themselves are accepted.
      // The bound itself is accepted (−100: +100 % would price the order at 0 sats, which the sats
      // limits refuse since 0.20 applies the premium there).
      await h.newOrder(u, { kind: 'sell', premium: -100, payment_method: 'cash,bank transfer' });
    } finally {
      h.close();
    }
  });

  it('normalises the fiat code to upper case', async () => {
    const h = new Harness();
    try {
      const id = await h.newOrder(h.user('maker'), { kind: 'buy', fiat_code: 'usd' });
      assert.equal(h.order(id).fiat_code, 'USD');
    } finally {
      h.close();
    }
  });

  it('caps pending orders per identity and in total', async () => {
    const h = new Harness({ settings: { orders: { max_pending_per_identity: 2, max_pending_total: 4 } } });
    try {
      const a = h.user('a');
      await h.newOrder(a, { kind: 'sell' });
      h.rotate(a);
      await h.newOrder(a, { kind: 'sell' });
      h.rotate(a);
      // A new trade key does not escape the cap of its identity.
      assert.equal(await refused(h, a, order()), 'too_many_requests');
      const b = h.user('b', { fullPrivacy: true });
      await h.newOrder(b, { kind: 'buy' });
      await h.newOrder(b, { kind: 'buy' });
      assert.equal(await refused(h, b, order()), 'too_many_requests');
      // Fresh full-private keys are fresh "identities": the node-wide cap stops them.
      assert.equal(await refused(h, h.user('c', { fullPrivacy: true }), order()), 'too_many_requests');
    } finally {
      h.close();
    }
  });
});
