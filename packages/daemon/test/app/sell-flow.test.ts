// Sell orders end to end through the handlers (protocol.md §5.7) on the simulated network.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
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

const AMOUNT = 200_000; // 100 USD at 50 000 USD/BTC
const FEE = 600; // round(0.006 × 200 000 / 2)

describe('sell order (§5.7)', () => {
  it('taken without an invoice: add-invoice, hold invoice, active, fiat-sent, release, payout, success', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    let mark = h.mark();
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    let o = h.order(id);
    assert.equal(o.status, 'waiting-buyer-invoice');
    assert.equal(o.amount, AMOUNT, 'market amount fixed at take time');
    assert.equal(o.fee, FEE);
    assert.equal(o.dev_fee, 360, 'round(2 × fee × dev_fee_percentage), fixed at take time');
    assert.deepEqual(h.actionsTo(buyer, mark), ['add-invoice']);
    const addInvoice = h.last(buyer, 'add-invoice');
    assert.equal(addInvoice.tradeIndex, 1);
    assert.equal(addInvoice.requestId, 7n);
    assert.ok(addInvoice.payload && 'order' in addInvoice.payload);
    assert.equal(addInvoice.payload.order.amount, AMOUNT - FEE);
    assert.equal(addInvoice.payload.order.status, 'waiting-buyer-invoice');
    assert.deepEqual(h.actionsTo(seller, mark), ['waiting-buyer-invoice']);
    assert.equal(h.publishedOrders.at(-1)?.status, 'waiting-buyer-invoice');

    mark = h.mark();
    const invoice = h.buyerInvoice('buyer', AMOUNT - FEE);
    assert.equal(
      await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, invoice, null] } }),
      'handled',
    );
    o = h.order(id);
    assert.equal(o.status, 'waiting-payment');
    assert.equal(o.hold_state, 'open');
    assert.deepEqual(h.actionsTo(seller, mark), ['pay-invoice', 'pay-invoice']);
    const [peer, pay] = h.to(seller, mark);
    assert.ok(peer?.payload && 'peer' in peer.payload, 'reputation quirk first');
    assert.equal(peer.payload.peer.pubkey, '');
    assert.ok(pay?.payload && 'payment_request' in pay.payload);
    const [small, hold] = pay.payload.payment_request;
    assert.equal(small?.amount, AMOUNT + FEE);
    assert.equal(small?.status, 'waiting-payment');
    assert.equal(small?.buyer_invoice, undefined);
    const decoded = await h.backend.decodeInvoice(hold);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.amountMsat, BigInt(AMOUNT + FEE) * 1000n);
    assert.match(
      decoded.value.description,
      new RegExp(`^Escrow amount Order #${id}: SELL BTC for USD 100 - It WILL FREEZE`),
    );
    assert.equal(decoded.value.minFinalCltvExpiry, 144);
    assert.equal(decoded.value.expirySeconds, 300);
    assert.deepEqual(h.actionsTo(buyer, mark), ['waiting-seller-to-pay']);
    // As mostrod's show_hold_invoice: the add-invoice's request_id and each party's trade index.
    assert.equal(peer.requestId, null, 'the reputation notice is unsolicited');
    assert.equal(pay.requestId, 7n);
    assert.equal(pay.tradeIndex, o.trade_index_seller);
    const waiting = h.last(buyer, 'waiting-seller-to-pay');
    assert.equal(waiting.requestId, 7n);
    assert.equal(waiting.tradeIndex, o.trade_index_buyer);
    assert.ok(o.trade_index_seller !== null && o.trade_index_buyer !== null);

    mark = h.mark();
    const sellerBefore = 10_000_000;
    await h.sellerPays(seller);
    o = h.order(id);
    assert.equal(o.status, 'active');
    assert.equal(o.hold_state, 'accepted');
    assert.equal(o.invoice_held_at, h.clock.now());
    assert.deepEqual(h.actionsTo(seller, mark), ['buyer-took-order']);
    assert.deepEqual(h.actionsTo(buyer, mark), ['hold-invoice-payment-accepted']);
    const took = h.last(seller, 'buyer-took-order');
    assert.ok(took.payload && 'order' in took.payload);
    assert.equal(took.payload.order.amount, AMOUNT + FEE);
    assert.equal(took.payload.order.buyer_trade_pubkey, buyer.trade);
    assert.equal(took.payload.order.seller_trade_pubkey, seller.trade);
    const accepted = h.last(buyer, 'hold-invoice-payment-accepted');
    assert.ok(accepted.payload && 'order' in accepted.payload);
    assert.equal(accepted.payload.order.amount, AMOUNT - FEE);

    mark = h.mark();
    assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'handled');
    assert.equal(h.order(id).status, 'fiat-sent');
    const okSeller = h.last(seller, 'fiat-sent-ok');
    assert.ok(okSeller.payload && 'peer' in okSeller.payload);
    assert.equal(okSeller.payload.peer.pubkey, buyer.trade);
    const okBuyer = h.last(buyer, 'fiat-sent-ok');
    assert.ok(okBuyer.payload && 'peer' in okBuyer.payload);
    assert.equal(okBuyer.payload.peer.pubkey, seller.trade);

    mark = h.mark();
    assert.equal(await h.send(seller, 'release', { id }), 'handled');
    o = h.order(id);
    assert.equal(o.status, 'success');
    assert.equal(o.hold_state, 'settled');
    assert.equal(o.payout_state, 'succeeded');
    assert.deepEqual(h.actionsTo(buyer, mark), ['released', 'purchase-completed', 'rate']);
    assert.deepEqual(h.actionsTo(seller, mark), ['hold-invoice-payment-settled', 'rate']);
    assert.equal(h.publishedOrders.at(-1)?.status, 'success');

    assert.equal(h.balanceSats('buyer'), AMOUNT - FEE);
    assert.equal(h.balanceSats('seller') <= sellerBefore - (AMOUNT + FEE), true);
    assert.equal(h.balanceSats('mostro'), AMOUNT + FEE - (AMOUNT - FEE) - o.routing_fee);
    assert.ok(o.routing_fee > 0 && o.routing_fee <= AMOUNT * 0.002);
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('taken with an invoice: straight to the hold invoice (waiting-payment)', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const mark = h.mark();
    const invoice = h.buyerInvoice();
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, invoice, null] } }),
      'handled',
    );
    const o = h.order(id);
    assert.equal(o.status, 'waiting-payment');
    assert.equal(o.buyer_invoice, invoice);
    // One pay-invoice: the hold invoice. The reference sends the taker-reputation notice only from
    // add-invoice; its client would take a second pay-invoice here for the one to pay.
    assert.deepEqual(h.actionsTo(seller, mark), ['pay-invoice']);
    const pay = h.last(seller, 'pay-invoice');
    assert.ok(pay.payload && 'payment_request' in pay.payload);
    assert.equal(pay.requestId, 7n, "the take's request_id, echoed to the seller too");
    assert.equal(pay.tradeIndex, o.trade_index_seller, "the maker-seller's own trade index");
    assert.deepEqual(h.actionsTo(buyer, mark), ['waiting-seller-to-pay']);
    const waiting = h.last(buyer, 'waiting-seller-to-pay');
    assert.equal(waiting.requestId, 7n, 'the reference client matches the take by this request_id');
    assert.equal(waiting.tradeIndex, o.trade_index_buyer, "the taker's trade index");
    assert.equal(waiting.tradeIndex, buyer.nextIndex);
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'active');
    await h.send(buyer, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.balanceSats('buyer'), 50_000 - 150);
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('range order: the buyer names the slice; release with next_trade creates the child order', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', fiat_amount: 0, min_amount: 10, max_amount: 50 });
    assert.equal(await h.send(buyer, 'take-sell', { id, payload: { amount: 60 } }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'out_of_range_sats_amount');
    const invoice = h.buyerInvoice();
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, invoice, 20] } }),
      'handled',
    );
    const o = h.order(id);
    assert.equal(o.fiat_amount, 20);
    assert.equal(o.amount, 40_000);
    await h.sellerPays(seller);
    await h.send(buyer, 'fiat-sent', { id });
    const next = h.user('seller-next');
    assert.equal(await h.send(seller, 'release', { id, payload: { next_trade: ['not-a-key', 2] } }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_pubkey');
    assert.equal(h.order(id).status, 'fiat-sent', 'a bad next_trade changes nothing');
    const mark = h.mark();
    assert.equal(await h.send(seller, 'release', { id, payload: { next_trade: [next.trade, 2] } }), 'handled');
    assert.equal(h.order(id).status, 'success');
    const child = h.to(next, mark);
    assert.deepEqual(
      child.map((m) => m.action),
      ['new-order'],
    );
    assert.equal(child[0]?.tradeIndex, 2);
    assert.ok(child[0]?.payload && 'order' in child[0].payload);
    const childOrder = child[0].payload.order;
    assert.equal(childOrder.min_amount, 10);
    assert.equal(childOrder.max_amount, 30);
    assert.equal(childOrder.fiat_amount, 0);
    assert.equal(childOrder.status, 'pending');
    const row = h.order(childOrder.id!);
    assert.equal(row.range_parent_id, id);
    assert.equal(row.seller_pubkey, next.trade);
    assert.equal(row.creator_pubkey, next.trade);
    assert.equal(row.master_seller_pubkey, seller.identity);
    assert.ok(h.publishedOrders.some((p) => p.id === row.id && p.status === 'pending'));
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('a full-private buyer trades too; the seller sees an empty reputation for it', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const anon = h.user('anon', { fullPrivacy: true });
    const invoice = h.buyerInvoice('anon');
    assert.equal(await h.send(anon, 'take-sell', { id }), 'handled');
    assert.equal(
      await h.send(anon, 'add-invoice', { id, payload: { payment_request: [null, invoice, null] } }),
      'handled',
    );
    const o = h.order(id);
    assert.equal(o.master_buyer_pubkey, null, 'nothing links a full-private buyer');
    const peer = h.to(seller).find((m) => m.action === 'pay-invoice' && m.payload && 'peer' in m.payload);
    assert.deepEqual(peer?.payload, { peer: { pubkey: '', reputation: { rating: 0, reviews: 0, operating_days: 0 } } });
    await h.sellerPays(seller);
    await h.send(anon, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.balanceSats('anon'), 50_000 - 150);
    await h.assertInvariant();
  });

  it('only the buyer may send fiat-sent, only the seller may release, each in its status', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'not_allowed_by_status');
    await h.sellerPays(seller);
    assert.equal(await h.send(seller, 'fiat-sent', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_peer');
    assert.equal(await h.send(seller, 'release', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'not_allowed_by_status');
    await h.send(buyer, 'fiat-sent', { id });
    assert.equal(await h.send(buyer, 'release', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_peer');
    assert.equal(h.order(id).status, 'fiat-sent');
    assert.equal(h.order(id).hold_state, 'accepted');
    assert.equal(await h.send(seller, 'release', { id }), 'handled');
    assert.equal(await h.send(seller, 'release', { id }), 'cant-do', 'a second release does nothing');
    assert.equal(h.net.payments('mostro').length, 1);
    await h.assertInvariant();
  });
});
