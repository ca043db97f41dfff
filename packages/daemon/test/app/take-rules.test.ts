// The take rules (protocol.md §5.2, §5.4) and trade-pubkey: refusals change nothing.
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

describe('take rules', () => {
  it('the maker cannot take its own order (same trade key or same identity)', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    assert.equal(await h.send(seller, 'take-sell', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_pubkey');
    h.rotate(seller);
    assert.equal(await h.send(seller, 'take-sell', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_pubkey');
    assert.equal(h.order(id).status, 'pending');
  });

  it('wrong kind, taken already, expired', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    assert.equal(await h.send(buyer, 'take-buy', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_order_kind');
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    const other = h.user('other');
    assert.equal(await h.send(other, 'take-sell', { id }), 'cant-do');
    assert.equal(h.cantDo(other), 'invalid_order_status');

    const late = await h.newOrder(seller, { kind: 'sell', expires_at: h.clock.now() + 3600 });
    h.clock.advance(3601);
    assert.equal(await h.send(other, 'take-sell', { id: late }), 'cant-do');
    assert.equal(h.cantDo(other), 'invalid_order_status');
    assert.equal(h.order(late).status, 'pending');
  });

  it('pending_order_exists: one take waiting at a time per identity', async () => {
    const a = await h.newOrder(seller, { kind: 'sell' });
    h.rotate(seller);
    const b = await h.newOrder(seller, { kind: 'sell' });
    assert.equal(await h.send(buyer, 'take-sell', { id: a }), 'handled');
    h.rotate(buyer);
    assert.equal(await h.send(buyer, 'take-sell', { id: b }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'pending_order_exists');
    assert.equal(h.order(b).status, 'pending');
  });

  it('a stale price refuses a market take; unknown order and missing id', async () => {
    h.close();
    h = new Harness({ stalePrices: true });
    seller = h.user('seller');
    buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell', amount: 30_000, fiat_amount: 15 });
    // A fixed-amount order needs no price.
    assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
    h.rotate(seller);
    const db = h.db;
    db.prepare(
      "UPDATE orders SET amount = 0, price_from_api = 1, status = 'pending', buyer_pubkey = NULL WHERE id = ?",
    ).run(id);
    const other = h.user('other');
    assert.equal(await h.send(other, 'take-sell', { id }), 'cant-do');
    assert.equal(h.cantDo(other), 'price_too_stale');
    assert.equal(await h.send(other, 'take-sell', { id: '7f1c1a4e-2c53-4e3d-9b8a-1d2e3f4a5b6c' }), 'cant-do');
    assert.equal(h.cantDo(other), 'not_found');
  });

  it('an invoice for the wrong amount or network is refused and changes nothing', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const wrong = h.buyerInvoice('buyer', 50_000); // must be amount − fee = 49 850
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, wrong, null] } }),
      'cant-do',
    );
    assert.equal(h.cantDo(buyer), 'invalid_invoice');
    assert.equal(h.order(id).status, 'pending');
    assert.equal(h.order(id).buyer_pubkey, null);
    const garbage = 'lnbc1notaninvoice';
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, garbage, null] } }),
      'cant-do',
    );
    assert.equal(h.cantDo(buyer), 'invalid_invoice');
    const right = h.buyerInvoice('buyer', 49_850);
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, right, null] } }),
      'handled',
    );
  });

  it('an unpayable invoice (probe finds no route) is refused at take time', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const invoice = h.buyerInvoice('buyer');
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'no_route' }).ok);
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, invoice, null] } }),
      'cant-do',
    );
    assert.equal(h.cantDo(buyer), 'invalid_invoice');
    assert.equal(h.order(id).status, 'pending');
  });
});

describe('trade-pubkey', () => {
  it('the maker identity moves a pending order to a new trade key', async () => {
    const id = await h.newOrder(seller, { kind: 'sell' });
    const old = seller.trade;
    h.rotate(seller);
    assert.equal(await h.send(seller, 'trade-pubkey', { id }), 'handled');
    assert.deepEqual(h.actionsTo(seller), ['trade-pubkey']);
    const o = h.order(id);
    assert.equal(o.seller_pubkey, seller.trade);
    assert.equal(o.creator_pubkey, seller.trade);
    assert.notEqual(o.seller_pubkey, old);
    assert.equal(await h.send(buyer, 'trade-pubkey', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'is_not_your_order');
    await h.send(buyer, 'take-sell', { id });
    assert.equal(await h.send(seller, 'trade-pubkey', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'not_allowed_by_status');
  });
});

describe('racing takes', () => {
  it('two takers at once: one wins, the other gets invalid_order_status', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const other = h.user('other');
    const [a, b] = await Promise.all([
      h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice('buyer'), null] } }),
      h.send(other, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice('other'), null] } }),
    ]);
    assert.deepEqual([a, b].sort(), ['cant-do', 'handled']);
    const loser = a === 'handled' ? other : buyer;
    assert.equal(h.cantDo(loser), 'invalid_order_status');
    assert.equal(h.order(id).status, 'waiting-payment');
    assert.equal(h.order(id).buyer_pubkey, a === 'handled' ? buyer.trade : other.trade);
    h.assertNoErrors();
  });
});
