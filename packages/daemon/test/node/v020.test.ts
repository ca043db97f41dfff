// mostrod 0.20 behaviours over a real relay and SQLite (reference-0.20.md §2.2, §4.3, §4.6):
// user-info, the known-sender rule after create/take, restore's counterparty_trade_pubkey.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHealthEvent, type SmallOrder, type UserInfo } from '@mostro/protocol';
import { getUser } from '../../src/db/users.ts';
import { setMaintenance } from '../../src/health/maintenance.ts';
import { eventually, queryRelay } from '../support/relay-query.ts';
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
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 0,
  expires_at: null,
  ...fields,
});

const DAY = 86_400;

describe('node: 0.20 user-info, known senders, restore', () => {
  let t: TestNode;
  const users: TestUser[] = [];
  const user = async (options: { fullPrivacy?: boolean } = {}) => {
    const u = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey, ...options });
    users.push(u);
    await u.listen();
    return u;
  };

  before(async () => {
    t = await startTestNode({ settings: { 'mostro.pow_first_contact': 6 } });
  });
  after(async () => {
    for (const u of users) u.close();
    await t.stop();
  });

  it('user-info: the identity’s own reputation in the restore wrapper, request_id echoed, since day-truncated', async () => {
    const alice = await user();
    const { index } = alice.next();
    await alice.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } }, { pow: 6 });
    await alice.waitFor('new-order');
    const createdAt = 1_700_784_000 + 5_000;
    t.node.ctx.db
      .prepare('UPDATE users SET total_reviews = 23, mean_rating = 4.8, created_at = ? WHERE pubkey = ?')
      .run(createdAt, alice.identity.publicKey);

    const { requestId } = await alice.send(index, { action: 'user-info' }, { wrapper: 'restore' });
    const info = await alice.waitFor('user-info');
    assert.equal(info.message.wrapper, 'restore');
    assert.equal(info.message.kind.request_id, requestId);
    assert.equal(info.message.kind.id, undefined);
    const got = (info.message.kind.payload as { user_info: UserInfo }).user_info;
    assert.equal(got.rating, 4.8);
    assert.equal(got.reviews, 23);
    assert.equal(got.since, 1_700_784_000);
    assert.equal(got.operating_days, Math.floor((Math.floor(Date.now() / 1000) - createdAt) / DAY));
  });

  it('user-info: an identity the node does not know gets zeros and no since', async () => {
    const bob = await user();
    const { index } = bob.next();
    await bob.send(index, { action: 'user-info' }, { wrapper: 'restore', pow: 6 });
    const info = await bob.waitFor('user-info');
    assert.deepEqual(info.message.kind.payload, { user_info: { rating: 0, reviews: 0, operating_days: 0 } });
  });

  it('user-info: without an identity proof → reputation_identity_required; outside restore → silence', async () => {
    const carol = await user({ fullPrivacy: true });
    const { index } = carol.next();
    await carol.send(index, { action: 'user-info' }, { wrapper: 'restore', pow: 6 });
    const refused = await carol.waitFor('cant-do');
    assert.deepEqual(refused.message.kind.payload, { cant_do: 'reputation_identity_required' });

    const dave = await user();
    const d = dave.next();
    await dave.send(d.index, { action: 'user-info' }, { wrapper: 'order', pow: 6 });
    assert.deepEqual(await dave.quiet(), []);
  });

  it('known sender: after an accepted new-order the next message needs no first-contact PoW; after a refused one it does', async () => {
    const erin = await user();
    const { index } = erin.next();
    await erin.send(index, { action: 'new-order', trade_index: index, payload: { order: order() } }, { pow: 6 });
    const id = (await erin.waitFor('new-order')).message.kind.id!;
    await erin.send(index, { action: 'cancel', id });
    await erin.waitFor('canceled');

    const frank = await user();
    const f = frank.next();
    // Refused (amount below the node's minimum): nothing ties the key to an order.
    await frank.send(
      f.index,
      { action: 'new-order', trade_index: f.index, payload: { order: order({ amount: 1 }) } },
      { pow: 6 },
    );
    assert.equal((await frank.waitFor('cant-do')).message.kind.action, 'cant-do');
    await frank.send(f.index, { action: 'orders', payload: { ids: [id] } });
    assert.deepEqual(await frank.quiet(), [], 'still a first contact: dropped for want of PoW');
  });

  it('restore-session: counterparty_trade_pubkey is null while untaken, the taker’s trade key once taken', async () => {
    const maker = await user();
    const m = maker.next();
    await maker.send(
      m.index,
      { action: 'new-order', trade_index: m.index, payload: { order: order({ kind: 'buy' }) } },
      { pow: 6 },
    );
    const id = (await maker.waitFor('new-order')).message.kind.id!;
    await maker.send(0, { action: 'restore-session' }, { wrapper: 'restore', pow: 6 });
    const before = (await maker.waitFor('restore-session')).message.kind.payload as {
      restore_data: { orders: { order_id: string; counterparty_trade_pubkey: string | null }[] };
    };
    assert.deepEqual(
      before.restore_data.orders.map((o) => [o.order_id, o.counterparty_trade_pubkey]),
      [[id, null]],
    );

    const taker = await user();
    const tk = taker.next();
    await taker.send(tk.index, { action: 'take-buy', id, trade_index: tk.index }, { pow: 6 });
    await taker.waitFor((r) => r.message.kind.action === 'pay-invoice' || r.message.kind.action === 'cant-do');
    await maker.send(0, { action: 'restore-session' }, { wrapper: 'restore', pow: 6 });
    const afterTake = (await maker.waitFor('restore-session')).message.kind.payload as {
      restore_data: { orders: { counterparty_trade_pubkey: string | null }[] };
    };
    assert.equal(afterTake.restore_data.orders[0]?.counterparty_trade_pubkey, tk.key.publicKey);

    await taker.send(0, { action: 'restore-session' }, { wrapper: 'restore', pow: 6 });
    const takerView = (await taker.waitFor('restore-session')).message.kind.payload as {
      restore_data: { orders: { counterparty_trade_pubkey: string | null }[] };
    };
    assert.equal(takerView.restore_data.orders[0]?.counterparty_trade_pubkey, m.key.publicKey);
  });

  it('health: a kind-38389 event for the node on its relay; maintenance refuses new orders with maintenance_mode', async () => {
    const event = await eventually(async () => {
      const [e] = await queryRelay(t.node.relays, { kinds: [38389], authors: [t.node.pubkey] });
      return e;
    });
    const health = parseHealthEvent(event);
    assert.equal(health.node, t.node.pubkey);
    assert.equal(health.maintenance_mode, false);
    assert.deepEqual(
      health.checks.map((c) => [c.name, c.state]),
      [
        ['lnd_sync', 'ok'],
        ['payouts', 'ok'],
        ['relays', 'ok'],
        ['database', 'ok'],
      ],
    );
    assert.equal(health.status, 'ok');

    setMaintenance(t.node.ctx.db, { enabled: true, reason: 'upgrade' }, Math.floor(Date.now() / 1000));
    const gina = await user();
    const { index } = gina.next();
    const { requestId } = await gina.send(
      index,
      { action: 'new-order', trade_index: index, payload: { order: order() } },
      { pow: 6 },
    );
    const refused = await gina.waitFor('cant-do');
    assert.deepEqual(refused.message.kind.payload, { cant_do: 'maintenance_mode' });
    assert.equal(refused.message.kind.request_id, requestId);
    assert.equal(getUser(t.node.ctx.db, gina.identity.publicKey), undefined, 'no user row written');
    setMaintenance(t.node.ctx.db, { enabled: false }, Math.floor(Date.now() / 1000));
  });
});
