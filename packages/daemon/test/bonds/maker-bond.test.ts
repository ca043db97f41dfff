// Maker bonds on the simulated network (reference-0.20.md §4.9): the order waits, unpublished, in
// waiting-maker-bond; a paid bond publishes it and acks new-order; unpaid after the timeout it
// expires (+ canceled); the maker may cancel while it waits.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { expirePendingOrders } from '../../src/jobs/pending-expiry.ts';
import type { Harness, User } from '../app/harness.ts';
import { fixedOrder } from '../support/orders.ts';
import { BOND, bondHarness, bondInvoiceTo, onlyBond, payBond, runJobs } from './support.ts';

let h: Harness;
afterEach(() => h.close());

async function makeOrder(h: Harness, maker: User): Promise<string> {
  const order = fixedOrder('sell', { amount: 0, fiat_amount: 100, created_at: null });
  assert.equal(await h.send(maker, 'new-order', { payload: { order } }), 'handled');
  const m = h.last(maker, 'pay-bond-invoice');
  assert.ok(m.id);
  return m.id;
}

describe('maker bond', () => {
  it('paid: the order is published as pending and the maker gets new-order', async () => {
    h = bondHarness({ apply_to: 'make' });
    const maker = h.user('maker');
    let mark = h.mark();
    const id = await makeOrder(h, maker);
    assert.deepEqual(h.actionsTo(maker, mark), ['pay-bond-invoice'], 'no new-order ack before the bond');
    assert.equal(h.order(id).status, 'waiting-maker-bond');
    assert.equal(h.publishedOrders.length, 0, 'never published while waiting');
    assert.equal(bondInvoiceTo(h, maker).order.amount, BOND);
    const decoded = await h.backend.decodeInvoice(bondInvoiceTo(h, maker).request);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.expirySeconds, 900);

    mark = h.mark();
    await payBond(h, maker);
    const o = h.order(id);
    assert.equal(o.status, 'pending');
    assert.deepEqual(h.actionsTo(maker, mark), ['new-order']);
    assert.equal(h.last(maker, 'new-order').requestId, 7n, 'the new-order request_id is echoed');
    assert.equal(h.publishedOrders.at(-1)?.status, 'pending');
    assert.equal(onlyBond(h, id).state, 'locked');
    assert.ok(o.expires_at <= h.clock.now() + 24 * 3600, 'expiry clamped within the bond HTLC');

    // A taker is not asked for a bond with apply_to = make.
    const taker = h.user('taker');
    assert.equal(await h.send(taker, 'take-sell', { id }), 'handled');
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');

    // The maker cancels the taken order: the bond goes back.
    await h.send(maker, 'cancel', { id });
    await runJobs(h);
    assert.equal(onlyBond(h, id).state, 'released');
    h.assertNoErrors();
  });

  it('unpaid after maker_bond_payment_timeout_seconds: expired in the database, bond released, maker told', async () => {
    h = bondHarness({ apply_to: 'make' });
    const maker = h.user('maker');
    const id = await makeOrder(h, maker);
    h.clock.advance(899);
    await runJobs(h);
    assert.equal(h.order(id).status, 'waiting-maker-bond');
    h.clock.advance(2);
    const mark = h.mark();
    await runJobs(h);
    assert.equal(h.order(id).status, 'expired');
    assert.deepEqual(h.actionsTo(maker, mark), ['canceled']);
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'canceled');
    assert.equal(h.publishedOrders.length, 0);
    h.assertNoErrors();
  });

  it('the maker cancels while the bond is unpaid; nobody else may', async () => {
    h = bondHarness({ apply_to: 'make' });
    const maker = h.user('maker');
    const id = await makeOrder(h, maker);
    const mark = h.mark();
    assert.equal(await h.send(maker, 'cancel', { id }), 'handled');
    assert.deepEqual(h.actionsTo(maker, mark), ['canceled']);
    assert.equal(h.order(id).status, 'canceled');
    assert.equal(onlyBond(h, id).state, 'released');
    // Someone else cannot cancel it.
    h.rotate(maker);
    const id2 = await makeOrder(h, maker);
    const stranger = h.user('stranger');
    await h.send(stranger, 'cancel', { id: id2 });
    assert.equal(h.cantDo(stranger), 'is_not_your_order');
    h.assertNoErrors();
  });

  it('the chain nears the bond HTLC expiry: the order is ended early and the bond released before LND would cancel it', async () => {
    h = bondHarness({ apply_to: 'make' });
    const maker = h.user('maker');
    const id = await makeOrder(h, maker);
    await payBond(h, maker);
    const lockedExpiry = h.order(id).expires_at;
    await runJobs(h);
    assert.equal(h.order(id).expires_at, lockedExpiry, 'nothing to do while the HTLC has room');
    assert.ok(h.net.mineBlocks(300).ok);
    await runJobs(h);
    assert.equal(h.order(id).expires_at, h.clock.now(), 'expiry pulled in');
    h.clock.advance(1);
    await expirePendingOrders(h.ctx);
    await runJobs(h);
    assert.equal(h.order(id).status, 'expired');
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'canceled');
    h.assertNoErrors();
  });

  it('orders waiting for their maker bond count against the pending-order caps', async () => {
    h = bondHarness({ apply_to: 'make' }, { settings: { orders: { max_pending_per_identity: 1 } } });
    const maker = h.user('maker');
    await makeOrder(h, maker);
    h.rotate(maker);
    const order = fixedOrder('sell', { amount: 0, fiat_amount: 100, created_at: null });
    await h.send(maker, 'new-order', { payload: { order } });
    assert.equal(h.cantDo(maker), 'too_many_requests');
  });
});
