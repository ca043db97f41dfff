// The node's core over a real relay and a real SQLite file: new-order in both transports and both
// privacy modes, the validation reasons of §5.3, cancel of pending orders, orders,
// last-trade-index and restore-session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SmallOrder } from '@mostro/protocol';
import { getOrder } from '../../src/db/orders.ts';
import { getUser } from '../../src/db/users.ts';
import { queryRelay, tag } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { TestUser } from '../support/test-user.ts';

const order = (fields: Partial<SmallOrder> = {}): SmallOrder => ({
  kind: 'sell',
  status: 'pending',
  amount: 10_000,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 10,
  payment_method: 'bank transfer,cash',
  premium: 0,
  created_at: 0,
  expires_at: null,
  ...fields,
});

describe('node: orders', () => {
  let t: TestNode;
  const users: TestUser[] = [];
  const user = async (options: { transport?: 'nip44' | 'gift-wrap'; fullPrivacy?: boolean } = {}) => {
    const u = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey, ...options });
    users.push(u);
    await u.listen();
    return u;
  };

  before(async () => {
    t = await startTestNode({ settings: { 'mostro.fee': 0.006 } });
  });
  after(async () => {
    for (const u of users) u.close();
    await t.stop();
  });

  it('creates a fixed sell order over kind 14 in reputation mode, acks it and publishes it', async () => {
    const alice = await user();
    const { index } = alice.next();
    const { requestId } = await alice.send(index, {
      action: 'new-order',
      trade_index: index,
      payload: { order: order() },
    });
    const ack = await alice.waitFor('new-order');
    assert.equal(ack.transport, 'nip44');
    assert.equal(ack.message.kind.request_id, requestId);
    assert.equal(ack.message.kind.trade_index, index);
    const id = ack.message.kind.id!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const small = (ack.message.kind.payload as { order: SmallOrder }).order;
    assert.equal(small.status, 'pending');
    assert.equal(small.amount, 10_000);

    const row = getOrder(t.node.ctx.db, id)!;
    assert.equal(row.seller_pubkey, alice.tradeKey(index).publicKey);
    assert.equal(row.master_seller_pubkey, alice.identity.publicKey);
    assert.equal(row.fee, 30); // round(0.006 × 10 000 / 2)
    assert.equal(getUser(t.node.ctx.db, alice.identity.publicKey)?.last_trade_index, index);

    const [event] = await queryRelay(t.node.relays, { kinds: [38383], '#d': [id] });
    assert.ok(event, 'order event published');
    assert.equal(event.pubkey, t.node.pubkey);
    assert.deepEqual(
      event.tags.map((x) => x[0]),
      [
        'd',
        'k',
        'f',
        's',
        'amt',
        'fa',
        'pm',
        'premium',
        'rating',
        'source',
        'network',
        'layer',
        'published_at',
        'expires_at',
        'expiration',
        'y',
        'z',
      ],
    );
    assert.deepEqual(tag(event, 's'), ['s', 'pending']);
    assert.deepEqual(tag(event, 'published_at'), ['published_at', String(row.created_at)], 'when the order was made');
    assert.deepEqual(tag(event, 'pm'), ['pm', 'bank transfer', 'cash']);
    assert.deepEqual(tag(event, 'network'), ['network', 'regtest']);
  });

  it('creates an order over a gift wrap in full private mode, storing no identity', async () => {
    const bob = await user({ transport: 'gift-wrap', fullPrivacy: true });
    const { index, key } = bob.next();
    await bob.send(index, {
      action: 'new-order',
      payload: { order: order({ kind: 'buy', amount: 0, fiat_amount: 20 }) },
    });
    const ack = await bob.waitFor('new-order');
    assert.equal(ack.transport, 'gift-wrap');
    assert.equal(ack.message.kind.version, 1);
    const row = getOrder(t.node.ctx.db, ack.message.kind.id!)!;
    assert.equal(row.buyer_pubkey, key.publicKey);
    assert.equal(row.master_buyer_pubkey, null);
    assert.equal(row.price_from_api, true);
    assert.equal(getUser(t.node.ctx.db, bob.identity.publicKey), undefined);
    assert.equal(getUser(t.node.ctx.db, key.publicKey), undefined);
  });

  const refusals: [string, Partial<SmallOrder>, string][] = [
    ['a currency the node does not accept', { fiat_code: 'JPY' }, 'invalid_fiat_currency'],
    ['a zero fiat amount', { fiat_amount: 0 }, 'invalid_amount'],
    ['a negative amount', { amount: -1 }, 'invalid_amount'],
    ['a range with min ≥ max', { amount: 0, min_amount: 50, max_amount: 10, fiat_amount: 0 }, 'invalid_amount'],
    ['a premium on a fixed amount', { premium: 2 }, 'invalid_parameters'],
    ['too few sats', { amount: 50 }, 'out_of_range_sats_amount'],
    ['too many sats', { amount: 5_000_000 }, 'out_of_range_sats_amount'],
    ['a market order above the maximum', { amount: 0, fiat_amount: 2_000 }, 'out_of_range_sats_amount'],
    ['no kind', { kind: null }, 'invalid_order_kind'],
  ];
  for (const [what, fields, reason] of refusals) {
    it(`refuses ${what} with ${reason}`, async () => {
      const carol = await user();
      const { index } = carol.next();
      const { requestId } = await carol.send(index, {
        action: 'new-order',
        trade_index: index,
        payload: { order: order(fields) },
      });
      const reply = await carol.waitFor('cant-do');
      assert.deepEqual(reply.message.kind.payload, { cant_do: reason });
      assert.equal(reply.message.wrapper, 'cant-do');
      assert.equal(reply.message.kind.request_id, requestId);
    });
  }

  it('refuses a reused trade index with invalid_trade_index and creates nothing', async () => {
    const dave = await user();
    const { index } = dave.next();
    await dave.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } });
    await dave.waitFor('new-order');
    const before = t.node.ctx.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    await dave.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } });
    const reply = await dave.waitFor('cant-do');
    assert.deepEqual(reply.message.kind.payload, { cant_do: 'invalid_trade_index' });
    const afterCount = t.node.ctx.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    assert.equal(afterCount.n, before.n);
  });

  it('cancels a pending order for its maker only, and republishes it as canceled', async () => {
    const erin = await user();
    const mallory = await user();
    const { index } = erin.next();
    await erin.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } });
    const id = (await erin.waitFor('new-order')).message.kind.id!;

    const m = mallory.next();
    await mallory.send(m.index, { action: 'cancel', id });
    assert.deepEqual((await mallory.waitFor('cant-do')).message.kind.payload, { cant_do: 'is_not_your_order' });
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'pending');

    await erin.send(index, { action: 'cancel', id });
    await erin.waitFor('canceled');
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'canceled');
    await erin.send(index, { action: 'cancel', id });
    assert.deepEqual((await erin.waitFor('cant-do')).message.kind.payload, { cant_do: 'order_already_canceled' });

    const events = await queryRelay(t.node.relays, { kinds: [38383], '#d': [id] });
    assert.equal(events.length, 1, 'the canceled revision replaced the pending one');
    assert.deepEqual(tag(events[0]!, 's'), ['s', 'canceled']);
  });

  it('answers orders, last-trade-index and restore-session for the identity', async () => {
    const frank = await user();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { index } = frank.next();
      await frank.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } });
      ids.push((await frank.waitFor('new-order')).message.kind.id!);
    }
    await frank.send(0, { action: 'orders', payload: { ids } });
    const list = await frank.waitFor('orders');
    const got = (list.message.kind.payload as { orders: SmallOrder[] }).orders.map((o) => o.id);
    assert.deepEqual(got, ids);
    assert.equal(list.message.kind.id, undefined);

    await frank.send(0, { action: 'last-trade-index' }, { wrapper: 'restore' });
    const last = await frank.waitFor('last-trade-index');
    assert.equal(last.message.kind.trade_index, 2);

    await frank.send(0, { action: 'restore-session' }, { wrapper: 'restore' });
    const restored = await frank.waitFor('restore-session');
    const data = (
      restored.message.kind.payload as { restore_data: { orders: { order_id: string; trade_index: number }[] } }
    ).restore_data;
    assert.deepEqual(
      data.orders.map((o) => [o.order_id, o.trade_index]).sort(),
      ids.map((id, i) => [id, i + 1]).sort(),
    );

    const stranger = await user();
    await stranger.send(0, { action: 'orders', payload: { ids } });
    assert.deepEqual((await stranger.waitFor('cant-do')).message.kind.payload, { cant_do: 'not_found' });
    await stranger.send(0, { action: 'last-trade-index' }, { wrapper: 'restore' });
    assert.deepEqual((await stranger.waitFor('cant-do')).message.kind.payload, { cant_do: 'not_found' });
  });
});
