// What the public book shows of a taken order: once an order leaves `pending` for a waiting, active,
// fiat-sent or dispute state, its 38383 revision on the relay says `in-progress` (for both kinds;
// the reference keeps `pending` for a sell order taken with an invoice, which offers an order nobody
// can take). The node publishes that revision once, when the order leaves the book: later steps of
// the trade publish nothing new, so the public record does not trace the trade's progress.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NostrEvent } from 'nostr-tools';
import { getOrder } from '../../src/db/orders.ts';
import { fixedOrder, holdInvoiceOf, isPayInvoice, testUsers } from '../support/orders.ts';
import { eventually, queryRelay, tag } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { SimWallet } from '../support/wallet.ts';

describe('node: the public status of a taken order', () => {
  let t: TestNode;
  const { user, closeAll } = testUsers(() => t);
  const wallet = (name: string) => new SimWallet(t.node.walletUrl!, name);
  /** The relay's latest 38383 revision of the order, once every publication went out. */
  const latest = async (id: string): Promise<NostrEvent> => {
    await t.node.idle();
    const events = await queryRelay(t.node.relays, { kinds: [38383], '#d': [id] });
    assert.equal(events.length, 1, 'one revision per order on the relay');
    return events[0]!;
  };
  const statusOnRelay = async (id: string) => tag(await latest(id), 's')?.[1];
  const statusInDb = (id: string) => getOrder(t.node.ctx.db, id)?.status;

  before(async () => {
    t = await startTestNode({ settings: { 'mostro.fee': 0.006 } });
  });
  after(async () => {
    closeAll();
    await t.stop();
  });

  it('sell order taken with an invoice: in-progress from the take through hold paid, fiat-sent and dispute', async () => {
    const seller = await user();
    const buyer = await user({ transport: 'gift-wrap' });
    const sellerWallet = wallet('pub-seller-1');
    await sellerWallet.fund(100_000);
    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: fixedOrder('sell') } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;
    assert.equal(await statusOnRelay(id), 'pending');

    const b = buyer.next();
    const invoice = await wallet('pub-buyer-1').invoice(null, 'payout');
    await buyer.send(b.index, {
      action: 'take-sell',
      id,
      trade_index: b.index,
      payload: { payment_request: [null, invoice, null] },
    });
    const hold = holdInvoiceOf(await seller.waitFor(isPayInvoice));
    assert.equal(statusInDb(id), 'waiting-payment');
    const taken = await latest(id);
    assert.deepEqual(tag(taken, 's'), ['s', 'in-progress'], 'taken (waiting-payment): off the book');

    await sellerWallet.pay(hold);
    await buyer.waitFor('hold-invoice-payment-accepted');
    assert.equal(statusInDb(id), 'active');
    assert.equal(await statusOnRelay(id), 'in-progress', 'hold paid (active)');

    await buyer.send(b.index, { action: 'fiat-sent', id });
    await seller.waitFor('fiat-sent-ok');
    assert.equal(statusInDb(id), 'fiat-sent');
    assert.equal(await statusOnRelay(id), 'in-progress', 'fiat-sent');

    await seller.send(s.index, { action: 'dispute', id });
    await seller.waitFor('dispute-initiated-by-you');
    assert.equal(statusInDb(id), 'dispute');
    const disputed = await latest(id);
    assert.deepEqual(tag(disputed, 's'), ['s', 'in-progress'], 'dispute');
    assert.equal(disputed.id, taken.id, 'no new revision after the order left the book');
  });

  it('sell order taken without an invoice: in-progress while the buyer is asked for one', async () => {
    const seller = await user();
    const buyer = await user();
    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: fixedOrder('sell') } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;
    const b = buyer.next();
    await buyer.send(b.index, { action: 'take-sell', id, trade_index: b.index });
    await buyer.waitFor('add-invoice');
    assert.equal(statusInDb(id), 'waiting-buyer-invoice');
    assert.equal(await statusOnRelay(id), 'in-progress');

    await buyer.send(b.index, {
      action: 'add-invoice',
      id,
      payload: { payment_request: [null, await wallet('pub-buyer-2').invoice(null), null] },
    });
    await seller.waitFor(isPayInvoice);
    assert.equal(statusInDb(id), 'waiting-payment');
    assert.equal(await statusOnRelay(id), 'in-progress');
  });

  it('buy order: in-progress after take-buy, hold paid, the invoice added and dispute; pending again when the taker leaves', async () => {
    const buyer = await user();
    const seller = await user({ transport: 'gift-wrap', fullPrivacy: true });
    const sellerWallet = wallet('pub-seller-3');
    await sellerWallet.fund(100_000);
    const b = buyer.next();
    await buyer.send(b.index, { action: 'new-order', trade_index: b.index, payload: { order: fixedOrder('buy') } });
    const id = (await buyer.waitFor('new-order')).message.kind.id!;
    assert.equal(await statusOnRelay(id), 'pending');

    // A taker who leaves puts the order back on the book.
    const quitter = await user();
    const q = quitter.next();
    await quitter.send(q.index, { action: 'take-buy', id, trade_index: q.index });
    await quitter.waitFor(isPayInvoice);
    assert.equal(await statusOnRelay(id), 'in-progress', 'take-buy (waiting-payment)');
    await quitter.send(q.index, { action: 'cancel', id });
    await quitter.waitFor('canceled');
    await eventually(() => (statusInDb(id) === 'pending' ? true : undefined));
    assert.equal(await statusOnRelay(id), 'pending', 'back on the book');

    const s = seller.next();
    await seller.send(s.index, { action: 'take-buy', id, trade_index: s.index });
    const hold = holdInvoiceOf(await seller.waitFor(isPayInvoice));
    assert.equal(await statusOnRelay(id), 'in-progress', 'taken again');

    await sellerWallet.pay(hold);
    await buyer.waitFor((r) => r.message.kind.action === 'add-invoice' && r.message.kind.payload !== null);
    assert.equal(statusInDb(id), 'waiting-buyer-invoice');
    assert.equal(await statusOnRelay(id), 'in-progress', 'hold paid (waiting-buyer-invoice)');

    await buyer.send(b.index, {
      action: 'add-invoice',
      id,
      payload: { payment_request: [null, await wallet('pub-buyer-3').invoice(null), null] },
    });
    await buyer.waitFor('hold-invoice-payment-accepted');
    assert.equal(statusInDb(id), 'active');
    assert.equal(await statusOnRelay(id), 'in-progress', 'active');

    await buyer.send(b.index, { action: 'dispute', id });
    await buyer.waitFor('dispute-initiated-by-you');
    assert.equal(statusInDb(id), 'dispute');
    assert.equal(await statusOnRelay(id), 'in-progress', 'dispute');
  });
});
