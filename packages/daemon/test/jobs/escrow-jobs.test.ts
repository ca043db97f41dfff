// The escrow's jobs on a hand-moved clock: waiting-state timeouts and pending expiry (§5.11), the CLTV
// guardian, a hold invoice canceled by the Lightning node, and the refund of late payments.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import { guardEscrowDeadlines } from '../../src/jobs/cltv-guardian.ts';
import { watchHoldInvoices } from '../../src/jobs/hold-watch.ts';
import { ESCROW_JOBS } from '../../src/jobs/index.ts';
import { expirePendingOrders } from '../../src/jobs/pending-expiry.ts';
import { expireWaitingOrders } from '../../src/jobs/waiting-timeouts.ts';
import { decodeInvoice } from '../../src/lightning/simulated/bolt11.ts';
import { Harness, type User } from '../app/harness.ts';

let h: Harness;
let seller: User;
let buyer: User;

beforeEach(() => {
  h = new Harness();
  seller = h.user('seller');
  buyer = h.user('buyer');
});
afterEach(() => h.close());

describe('waiting-state timeouts (§5.11)', () => {
  it('sell order, buyer-taker sent no invoice: back on the book after expiration_seconds, not before', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    h.clock.advance(900);
    assert.deepEqual(await expireWaitingOrders(h.ctx), []);
    h.clock.advance(1);
    const mark = h.mark();
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'republished' }]);
    assert.equal(h.order(id).status, 'pending');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['new-order']);
    h.assertNoErrors();
  });

  it('sell order, seller-maker did not pay: canceled for both, hold canceled', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    const hash = h.order(id).hash;
    h.clock.advance(901);
    const mark = h.mark();
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'canceled' }]);
    assert.equal(h.order(id).status, 'canceled');
    assert.equal(await h.holdState(hash), 'canceled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['canceled']);
    await h.assertInvariant();
  });

  it('buy order, seller-taker did not pay: back on the book, hold canceled', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    const hash = h.order(id).hash;
    h.clock.advance(901);
    const mark = h.mark();
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'republished' }]);
    assert.equal(await h.holdState(hash), 'canceled');
    assert.equal(h.order(id).status, 'pending');
    assert.equal(h.order(id).seller_pubkey, null);
    assert.deepEqual(h.actionsTo(seller, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(buyer, mark), ['new-order']);
  });

  it('an unpaid hold invoice ends the take when it expires (hold_invoice_expiration_window), the deadline the seller was given', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    const taken = h.order(id);
    const window = h.ctx.settings.lightning.hold_invoice_expiration_window;
    assert.ok(window < h.ctx.settings.mostro.expiration_seconds, 'the defaults: 300 s to pay, 900 s waiting timeout');
    const invoice = decodeInvoice(h.holdRequest(seller));
    assert.ok(invoice.ok);
    const payBy = invoice.value.createdAt + invoice.value.expirySeconds;
    assert.ok(payBy <= taken.taken_at + window && payBy >= taken.taken_at + window - 1, 'the invoice says when');
    h.clock.advance(window);
    assert.deepEqual(await expireWaitingOrders(h.ctx), [], 'still payable');
    h.clock.advance(1);
    const mark = h.mark();
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'republished' }]);
    assert.equal(await h.holdState(taken.hash), 'canceled');
    assert.equal(h.order(id).status, 'pending', 'not left in waiting-payment with an expired invoice');
    assert.deepEqual(h.actionsTo(seller, mark), ['canceled']);
    h.assertNoErrors();
  });

  it('a paid hold invoice is not timed out by its expiry: the buyer still has expiration_seconds for the invoice', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    h.clock.advance(h.ctx.settings.lightning.hold_invoice_expiration_window + 1);
    assert.deepEqual(await expireWaitingOrders(h.ctx), []);
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
  });

  it('buy order, buyer-maker sent no invoice after the seller paid: canceled, seller refunded', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy' });
    await h.send(seller, 'take-buy', { id });
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    h.clock.advance(901);
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'canceled' }]);
    assert.equal(h.balanceSats('seller'), 10_000_000);
    assert.equal(h.order(id).status, 'canceled');
    await h.assertInvariant();
  });
});

describe('pending expiry (§5.11)', () => {
  it('a pending order past expires_at becomes expired, published, nobody told', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', expires_at: h.clock.now() + 600 });
    const kept = await h.newOrder(seller, { kind: 'sell' });
    h.clock.advance(600);
    assert.deepEqual(await expirePendingOrders(h.ctx), []);
    h.clock.advance(1);
    const mark = h.mark();
    assert.deepEqual(await expirePendingOrders(h.ctx), [id]);
    assert.equal(h.order(id).status, 'expired');
    assert.equal(h.order(kept).status, 'pending');
    assert.equal(h.publishedOrders.at(-1)?.status, 'expired');
    assert.equal(h.mark(), mark);
  });
});

describe('CLTV guardian', () => {
  async function activeTrade(): Promise<string> {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await h.sellerPays(seller);
    return id;
  }
  /** Mines until the accepted HTLC is `left` blocks from expiry. */
  async function mineTo(id: string, left: number): Promise<void> {
    const hold = await h.backend.getHoldInvoice(h.order(id).hash!);
    assert.ok(hold.ok && hold.value.htlcExpiryHeight);
    const blocks = hold.value.htlcExpiryHeight - left - h.net.height();
    assert.ok(h.net.mineBlocks(blocks).ok);
    h.net.tick();
  }

  it('active near the deadline: canceled and refunded; further away: untouched', async () => {
    const id = await activeTrade();
    await mineTo(id, 25);
    assert.deepEqual(await guardEscrowDeadlines(h.ctx), []);
    assert.equal(h.order(id).status, 'active');
    await mineTo(id, 24);
    const mark = h.mark();
    assert.deepEqual(await guardEscrowDeadlines(h.ctx), [{ orderId: id, action: 'canceled' }]);
    assert.equal(h.order(id).status, 'canceled');
    assert.deepEqual(h.actionsTo(buyer, mark), ['canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['canceled']);
    assert.equal(h.balanceSats('seller'), 10_000_000);
    await h.assertInvariant();
  });

  it('fiat-sent near the deadline: a dispute is opened on the buyer’s behalf', async () => {
    const id = await activeTrade();
    await h.send(buyer, 'fiat-sent', { id });
    await mineTo(id, 20);
    const mark = h.mark();
    assert.deepEqual(await guardEscrowDeadlines(h.ctx), [{ orderId: id, action: 'dispute' }]);
    const o = h.order(id);
    assert.equal(o.status, 'dispute');
    const dispute = getDisputeByOrder(h.db, id);
    assert.ok(dispute);
    assert.equal(dispute.initiator, 'buyer');
    assert.equal(dispute.status, 'initiated');
    assert.equal(dispute.order_previous_status, 'fiat-sent');
    assert.deepEqual(h.actionsTo(buyer, mark), ['dispute-initiated-by-you']);
    assert.deepEqual(h.actionsTo(seller, mark), ['dispute-initiated-by-peer']);
    assert.deepEqual(h.last(buyer, 'dispute-initiated-by-you').payload, { dispute: [dispute.id, null] });
    assert.equal(h.publishedDisputes.at(-1)?.id, dispute.id);
    assert.deepEqual(await guardEscrowDeadlines(h.ctx), [], 'once');
  });

  it('a hold invoice the Lightning node cancels on its own: both get hold-invoice-payment-canceled', async () => {
    const id = await activeTrade();
    await h.send(buyer, 'fiat-sent', { id });
    const mark = h.mark();
    await mineTo(id, 12); // the simulated node (like LND) cancels 12 blocks before expiry
    await h.settle();
    assert.deepEqual(h.actionsTo(buyer, mark), ['hold-invoice-payment-canceled']);
    assert.deepEqual(h.actionsTo(seller, mark), ['hold-invoice-payment-canceled']);
    assert.equal(h.order(id).status, 'canceled');
    assert.equal(h.balanceSats('seller'), 10_000_000);
    await h.assertInvariant();
  });
});

describe('refund sweep', () => {
  it('a hold paid after its order was canceled is canceled again (missed notification)', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    h.escrow.close(); // notifications lost from here on
    h.db.prepare("UPDATE orders SET status = 'canceled' WHERE id = ?").run(id);
    await h.sellerPays(seller);
    assert.equal(await h.holdState(h.order(id).hash), 'accepted');
    assert.equal(await watchHoldInvoices(h.ctx), 1);
    assert.equal(await h.holdState(h.order(id).hash), 'canceled');
    assert.equal(h.balanceSats('seller'), 10_000_000);
    await h.assertInvariant();
  });

  it('every job is listed for the scheduler with a positive interval', () => {
    assert.deepEqual(
      ESCROW_JOBS.map((j) => j.name),
      [
        'expire-pending-orders',
        'expire-waiting-orders',
        'watch-hold-invoices',
        'escrow-cltv-guardian',
        'retry-payouts',
        'anti-abuse-bonds',
      ],
    );
    for (const job of ESCROW_JOBS) assert.ok(job.intervalSeconds(h.settings) > 0);
  });
});
