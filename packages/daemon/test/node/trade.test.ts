// Complete trades through the real node, the embedded relay and the simulated Lightning network,
// with users paying from their own simulated wallets over the wallet API: a sell order taken with an
// invoice by a full-private buyer over gift wraps, and a buy order whose buyer adds the invoice
// later. Balances prove the escrow: the seller paid amount + fee, the buyer received amount − fee.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Peer, SmallOrder } from '@mostro/protocol';
import { getOrder } from '../../src/db/orders.ts';
import { fixedOrder, testUsers } from '../support/orders.ts';
import { eventually, queryRelay, tag } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { SimWallet } from '../support/wallet.ts';

const AMOUNT = 20_000;
const FEE = 60; // round(0.006 × 20 000 / 2)

const smallOrder = (kind: 'buy' | 'sell') => fixedOrder(kind, { amount: AMOUNT });

const payloadOrder = (m: { message: { kind: { payload: unknown } } }) =>
  (m.message.kind.payload as { order: SmallOrder }).order;

describe('node: complete trades on the simulated network', () => {
  let t: TestNode;
  const { user, closeAll } = testUsers(() => t);
  const wallet = (name: string) => new SimWallet(t.node.walletUrl!, name);

  before(async () => {
    t = await startTestNode({ settings: { 'mostro.fee': 0.006 } });
  });
  after(async () => {
    closeAll();
    await t.stop();
  });

  it('sell order: taken with an invoice by a full-private buyer, paid, fiat sent, released, paid out', async () => {
    const seller = await user();
    const buyer = await user({ transport: 'gift-wrap', fullPrivacy: true });
    const sellerWallet = wallet('seller-1');
    const buyerWallet = wallet('buyer-1');
    await sellerWallet.fund(100_000);

    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: smallOrder('sell') } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;

    const b = buyer.next();
    const invoice = await buyerWallet.invoice(AMOUNT - FEE, 'payout');
    await buyer.send(b.index, { action: 'take-sell', id, payload: { payment_request: [null, invoice, null] } });

    const payInvoice = await seller.waitFor(
      (r) =>
        r.message.kind.action === 'pay-invoice' &&
        r.message.kind.payload !== null &&
        'payment_request' in r.message.kind.payload,
    );
    const [view, hold] = (payInvoice.message.kind.payload as { payment_request: [SmallOrder, string, null] })
      .payment_request;
    assert.equal(view.amount, AMOUNT + FEE, 'the seller sees amount + fee');
    assert.equal(view.status, 'waiting-payment');
    assert.equal(payInvoice.message.kind.trade_index, s.index, "the maker-seller's trade index");
    assert.ok(
      !seller.inbox.some((r) => r.message.kind.action === 'pay-invoice'),
      'no reputation notice on a take with an invoice (the reference sends it from add-invoice only)',
    );
    await buyer.waitFor('waiting-seller-to-pay');

    await sellerWallet.pay(hold);
    const tookOrder = await seller.waitFor('buyer-took-order');
    assert.equal(payloadOrder(tookOrder).amount, AMOUNT + FEE);
    assert.equal(payloadOrder(tookOrder).buyer_trade_pubkey, b.key.publicKey);
    const accepted = await buyer.waitFor('hold-invoice-payment-accepted');
    assert.equal(payloadOrder(accepted).amount, AMOUNT - FEE, 'the buyer sees amount − fee');
    assert.equal(payloadOrder(accepted).seller_trade_pubkey, s.key.publicKey);
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'active');

    await buyer.send(b.index, { action: 'fiat-sent', id });
    const okSeller = await seller.waitFor('fiat-sent-ok');
    assert.equal((okSeller.message.kind.payload as { peer: Peer }).peer.pubkey, b.key.publicKey);
    await buyer.waitFor('fiat-sent-ok');

    await seller.send(s.index, { action: 'release', id });
    await seller.waitFor('hold-invoice-payment-settled');
    await seller.waitFor('rate');
    await buyer.waitFor('released');
    await buyer.waitFor('purchase-completed');
    await buyer.waitFor('rate');

    const done = await eventually(() => {
      const o = getOrder(t.node.ctx.db, id);
      return o?.status === 'success' ? o : undefined;
    });
    assert.equal(done.payout_state, 'succeeded');
    assert.equal(await buyerWallet.balance(), AMOUNT - FEE, 'buyer received amount − fee');
    const sellerRouting = 100_000 - (AMOUNT + FEE) - (await sellerWallet.balance());
    assert.ok(
      sellerRouting >= 0 && sellerRouting <= AMOUNT / 100,
      `seller paid amount + fee + its own routing (${sellerRouting})`,
    );
    const [event] = await queryRelay(t.node.relays, { kinds: [38383], '#d': [id] });
    assert.deepEqual(tag(event!, 's'), ['s', 'success']);
  });

  it('buy order: seller takes, pays, buyer adds the invoice, fiat sent, released, paid out', async () => {
    const buyer = await user();
    const seller = await user({ transport: 'gift-wrap' });
    const sellerWallet = wallet('seller-2');
    const buyerWallet = wallet('buyer-2');
    await sellerWallet.fund(50_000);

    const b = buyer.next();
    await buyer.send(b.index, { action: 'new-order', trade_index: b.index, payload: { order: smallOrder('buy') } });
    const id = (await buyer.waitFor('new-order')).message.kind.id!;

    const s = seller.next();
    await seller.send(s.index, { action: 'take-buy', id, trade_index: s.index });
    const pay = await seller.waitFor(
      (r) =>
        r.message.kind.action === 'pay-invoice' &&
        r.message.kind.payload !== null &&
        'payment_request' in r.message.kind.payload,
    );
    assert.equal(pay.message.kind.trade_index, s.index);
    const [, hold] = (pay.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request;
    await buyer.waitFor('waiting-seller-to-pay');
    const [published] = await queryRelay(t.node.relays, { kinds: [38383], '#d': [id] });
    assert.deepEqual(tag(published!, 's'), ['s', 'in-progress']);

    await sellerWallet.pay(hold);
    const addInvoice = await buyer.waitFor(
      (r) =>
        r.message.kind.action === 'add-invoice' && r.message.kind.payload !== null && 'order' in r.message.kind.payload,
    );
    assert.equal(payloadOrder(addInvoice).amount, AMOUNT - FEE);
    await seller.waitFor('waiting-buyer-invoice');

    await buyer.send(b.index, {
      action: 'add-invoice',
      id,
      payload: { payment_request: [null, await buyerWallet.invoice(null), null] },
    });
    await seller.waitFor('buyer-took-order');
    await buyer.waitFor('hold-invoice-payment-accepted');

    await buyer.send(b.index, { action: 'fiat-sent', id });
    await seller.waitFor('fiat-sent-ok');
    await seller.send(s.index, { action: 'release', id });
    await buyer.waitFor('purchase-completed');
    await eventually(() => (getOrder(t.node.ctx.db, id)?.status === 'success' ? true : undefined));
    assert.equal(await buyerWallet.balance(), AMOUNT - FEE, 'an amountless invoice is paid amount − fee');
  });

  it('refuses a fiat-sent from the seller and a release from the buyer', async () => {
    const seller = await user();
    const buyer = await user();
    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: smallOrder('sell') } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;
    const b = buyer.next();
    await buyer.send(b.index, { action: 'take-sell', id, trade_index: b.index });
    await buyer.waitFor('add-invoice');
    await seller.send(s.index, { action: 'release', id });
    const refused = await seller.waitFor('cant-do');
    assert.ok(refused.message.kind.payload !== null);
    await buyer.send(b.index, { action: 'fiat-sent', id });
    await buyer.waitFor('cant-do');
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'waiting-buyer-invoice');
  });
});
