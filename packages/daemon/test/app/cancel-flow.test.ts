// Cancels in the waiting states and cooperative cancels (protocol.md §5.10) with real hold invoices.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getDisputeByOrder, insertDispute } from '../../src/db/disputes.ts';
import { Harness, type User } from './harness.ts';

let h: Harness;
let seller: User;
let buyer: User;

beforeEach(() => {
  h = new Harness();
  seller = h.user('seller');
  buyer = h.user('buyer');
});
afterEach(() => h.close());

describe('cancel in the waiting states', () => {
  it('sell order: the buyer-taker backs out of waiting-buyer-invoice; the order is back on the book', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    const mark = h.mark();
    assert.equal(await h.send(buyer, 'cancel', { id }), 'handled');
    const o = h.order(id);
    assert.equal(o.status, 'pending');
    assert.equal(o.buyer_pubkey, null);
    assert.equal(o.amount, 0, 'market amount wiped');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['new-order']);
    assert.equal(h.publishedOrders.at(-1)?.status, 'pending');
  });

  it('buy order: the seller-taker cancels an unpaid hold invoice; it is canceled at the node', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    const hash = h.order(id).hash;
    await h.send(seller, 'cancel', { id });
    assert.equal(await h.holdState(hash), 'canceled');
    assert.equal(h.order(id).status, 'pending');
    assert.equal(h.order(id).hash, null);
    h.assertNoErrors();
  });

  it('buy order: the seller-taker who already paid cancels while the buyer has no invoice; refunded in full', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    const hash = h.order(id).hash;
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    assert.ok(h.balanceSats('seller') < 10_000_000);
    await h.send(seller, 'cancel', { id });
    assert.equal(await h.holdState(hash), 'canceled');
    assert.equal(h.balanceSats('seller'), 10_000_000, 'hold amount and routing fee refunded');
    assert.equal(h.order(id).status, 'pending');
    h.assertNoErrors();
  });

  it('sell order: the seller-maker cancels in waiting-payment; both are told, the hold is canceled', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    const hash = h.order(id).hash;
    const mark = h.mark();
    await h.send(seller, 'cancel', { id });
    assert.equal(h.order(id).status, 'canceled');
    assert.equal(await h.holdState(hash), 'canceled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['canceled']);
    await h.assertInvariant();
  });

  it('a stranger cannot cancel a taken order', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    const stranger = h.user('stranger');
    assert.equal(await h.send(stranger, 'cancel', { id }), 'cant-do');
    assert.equal(h.cantDo(stranger), 'invalid_pubkey');
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
  });
});

describe('cooperative cancel', () => {
  async function activeTrade(): Promise<string> {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'active');
    return id;
  }

  it('active: one asks, the other confirms; the seller is refunded in full', async () => {
    const id = await activeTrade();
    let mark = h.mark();
    await h.send(buyer, 'cancel', { id });
    assert.deepEqual(h.actionsTo(buyer, mark), ['cooperative-cancel-initiated-by-you']);
    assert.deepEqual(h.actionsTo(seller, mark), ['cooperative-cancel-initiated-by-peer']);
    assert.equal(await h.send(buyer, 'cancel', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_pubkey');
    mark = h.mark();
    await h.send(seller, 'cancel', { id });
    assert.equal(h.order(id).status, 'cooperatively-canceled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['cooperative-cancel-accepted']);
    assert.deepEqual(h.actionsTo(seller, mark), ['cooperative-cancel-accepted']);
    assert.equal(h.balanceSats('seller'), 10_000_000);
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('in a dispute: the cooperative cancel closes the dispute as cooperatively-canceled (0.20); its solver is told', async () => {
    const solverKey = 'ab'.repeat(32);
    const id = await activeTrade();
    await h.send(buyer, 'fiat-sent', { id });
    insertDispute(h.db, {
      id: '0b0c7b8e-3f7a-4c55-9d21-6a1f2e3d4c5b',
      order_id: id,
      status: 'in-progress',
      order_previous_status: 'fiat-sent',
      initiator: 'buyer',
      solver_pubkey: solverKey,
      created_at: h.clock.now(),
    });
    h.db.prepare("UPDATE orders SET status = 'dispute' WHERE id = ?").run(id);
    await h.send(seller, 'cancel', { id });
    await h.send(buyer, 'cancel', { id });
    assert.equal(h.order(id).status, 'cooperatively-canceled');
    assert.equal(getDisputeByOrder(h.db, id)?.status, 'cooperatively-canceled');
    assert.equal(h.publishedDisputes.at(-1)?.status, 'cooperatively-canceled');
    const notice = h.last(solverKey, 'cooperative-cancel-accepted');
    assert.equal(notice.id, id);
    assert.deepEqual(notice.payload, { dispute: ['0b0c7b8e-3f7a-4c55-9d21-6a1f2e3d4c5b', null] });
    await h.assertInvariant();
  });

  it('release during a dispute settles, closes the dispute as released (0.20), and pays the buyer', async () => {
    const id = await activeTrade();
    await h.send(buyer, 'fiat-sent', { id });
    insertDispute(h.db, {
      id: '1b0c7b8e-3f7a-4c55-9d21-6a1f2e3d4c5b',
      order_id: id,
      status: 'in-progress',
      order_previous_status: 'fiat-sent',
      initiator: 'seller',
      created_at: h.clock.now(),
    });
    h.db.prepare("UPDATE orders SET status = 'dispute' WHERE id = ?").run(id);
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    assert.equal(getDisputeByOrder(h.db, id)?.status, 'released');
    assert.equal(h.publishedDisputes.at(-1)?.status, 'released');
    // No solver took it: nobody else is told.
    assert.deepEqual(
      h.sent.filter((m) => m.to !== buyer.trade && m.to !== seller.trade),
      [],
    );
    await h.assertInvariant();
  });
});
