// Taker bonds on the simulated network (protocol.md §5.12): the take waits for the bond, a paid
// bond carries it out and is given back when the trade ends; an unpaid one puts the order back.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { drainCounters } from '../../src/health/drain.ts';
import type { Harness, User } from '../app/harness.ts';
import {
  AMOUNT,
  BOND,
  bondHarness,
  bondInvoiceTo,
  bondsOf,
  FEE,
  nodeSolver,
  onlyBond,
  payBond,
  runJobs,
} from './support.ts';

let h: Harness;
afterEach(() => h.close());

async function tradeToSuccess(h: Harness, seller: User, buyer: User, id: string): Promise<void> {
  const invoice = h.buyerInvoice('buyer-payout', AMOUNT - FEE);
  assert.equal(
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, invoice, null] } }),
    'handled',
  );
  await h.sellerPays(seller);
  assert.equal(h.order(id).status, 'active');
  assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'handled');
  assert.equal(await h.send(seller, 'release', { id }), 'handled');
  await h.settle();
  assert.equal(h.order(id).status, 'success');
}

describe('taker bond', () => {
  it('paid: the take goes on, the trade completes, the bond is released (taker gets the sats back)', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    let mark = h.mark();
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    assert.equal(h.order(id).status, 'waiting-taker-bond');
    assert.deepEqual(h.actionsTo(buyer, mark), ['pay-bond-invoice']);
    assert.deepEqual(h.actionsTo(seller, mark), [], 'the maker hears nothing before the bond locks');
    const { order, request } = bondInvoiceTo(h, buyer);
    assert.equal(order.amount, BOND);
    assert.equal(order.status, 'pending');
    assert.equal(h.last(buyer, 'pay-bond-invoice').requestId, 7n);
    const decoded = await h.backend.decodeInvoice(request);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.amountMsat, BigInt(BOND) * 1000n);
    assert.equal(decoded.value.description, `mostro bond order_id=${id}`);
    assert.equal(decoded.value.minFinalCltvExpiry, 432);
    assert.equal(decoded.value.expirySeconds, 300);

    // Re-sending the take re-sends the same invoice.
    mark = h.mark();
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['pay-bond-invoice']);
    assert.equal(bondInvoiceTo(h, buyer).request, request);

    mark = h.mark();
    await payBond(h, buyer);
    assert.ok(h.balanceSats('buyer') <= 1_000_000 - BOND, 'the bond is locked in the HTLC');
    assert.equal(onlyBond(h, id).state, 'locked');
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    assert.deepEqual(h.actionsTo(buyer, mark), ['add-invoice']);
    assert.deepEqual(h.actionsTo(seller, mark), ['waiting-buyer-invoice']);

    await tradeToSuccess(h, seller, buyer, id);
    assert.equal(onlyBond(h, id).state, 'locked', 'held until the bond job sees the trade ended');
    await runJobs(h);
    const bond = onlyBond(h, id);
    assert.equal(bond.state, 'released');
    assert.equal(await h.holdState(bond.hash), 'canceled');
    assert.equal(h.balanceSats('buyer'), 1_000_000, 'the bond (and its routing fee) came back in full');
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('unpaid within the invoice window: the take is undone, the order is back to pending, invoice canceled', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    await runJobs(h);
    assert.equal(h.order(id).status, 'waiting-taker-bond', 'nothing happens before the deadline');
    h.clock.advance(301);
    const mark = h.mark();
    await runJobs(h);
    const o = h.order(id);
    assert.equal(o.status, 'pending');
    assert.equal(o.buyer_pubkey, null);
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'canceled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    // Someone else can take it now.
    const other = h.user('other');
    assert.equal(await h.send(other, 'take-sell', { id }), 'handled');
    assert.equal(h.order(id).status, 'waiting-taker-bond');
    h.assertNoErrors();
  });

  it('two takers race: the first bond to lock wins, the other is released and told canceled', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const first = h.user('first');
    const second = h.user('second');
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(first, 'take-sell', { id });
    await h.send(second, 'take-sell', { id });
    const mark = h.mark();
    await payBond(h, second);
    assert.equal(h.order(id).buyer_pubkey, second.trade);
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    assert.deepEqual(h.actionsTo(first, mark), ['canceled']);
    const states = Object.fromEntries(
      bondsOf(h, id).map((b) => [b.pubkey === first.trade ? 'first' : 'second', b.state]),
    );
    assert.deepEqual(states, { first: 'released', second: 'locked' });
    h.assertNoErrors();
  });

  it('take-buy: the seller-taker pays the bond first, then the hold invoice', async () => {
    h = bondHarness();
    const buyer = h.user('buyer');
    const seller = h.user('seller');
    const id = await h.newOrder(buyer, { kind: 'buy', buyer_invoice: h.buyerInvoice('buyer') });
    let mark = h.mark();
    await h.send(seller, 'take-buy', { id });
    assert.deepEqual(h.actionsTo(seller, mark), ['pay-bond-invoice']);
    mark = h.mark();
    await payBond(h, seller);
    assert.equal(h.order(id).status, 'waiting-payment');
    assert.ok(h.actionsTo(seller, mark).includes('pay-invoice'));
    h.assertNoErrors();
  });

  it('a prospective taker cancels: only its take is undone and its bond released', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    const mark = h.mark();
    assert.equal(await h.send(buyer, 'cancel', { id }), 'handled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.equal(h.order(id).status, 'pending');
    assert.equal(onlyBond(h, id).state, 'released');
    h.assertNoErrors();
  });

  it('the node key cancels the order while a bond races: the bonded taker gets admin-canceled, the bond is released, drain counts it until then', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    assert.equal(drainCounters(h.db).open_bonds, 1);
    const mark = h.mark();
    assert.equal(await h.send(nodeSolver(h), 'admin-cancel', { id }), 'handled');
    assert.equal(h.order(id).status, 'canceled-by-admin');
    assert.deepEqual(h.actionsTo(buyer, mark), ['admin-canceled']);
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(drainCounters(h.db).open_bonds, 0);
    h.assertNoErrors();
  });
});
