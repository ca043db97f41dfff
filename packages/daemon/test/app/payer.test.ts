// Payer declaration, payment history and require_declaration (reference-0.20.md §4.5): the rules
// of declare-payer in the reference's order, payer-declared to both parties, the history the
// seller gets at fiat-sent and on query, and the fiat-sent gate.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { payerHash } from '@mostro/protocol';
import { Harness, type User } from './harness.ts';

let h: Harness;
afterEach(() => h.close());

const HASH = payerHash('EU|SEPA|DE89370400440532013000|ALICE SMITH');
const declaration = (hash: string = HASH) => ({ payer_declaration: { payment_hash: hash } });

function setup(payer: Record<string, unknown> = { enabled: true }) {
  h = new Harness({ settings: { payer_history: payer } });
  return { seller: h.user('seller'), buyer: h.user('buyer') };
}

async function activeTrade(seller: User, buyer: User): Promise<string> {
  const id = await h.newOrder(seller, { kind: 'sell' });
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  await h.sellerPays(seller);
  assert.equal(h.order(id).status, 'active');
  return id;
}

describe('declare-payer', () => {
  it('feature off → invalid_action (also payment-history)', async () => {
    const { seller, buyer } = setup({ enabled: false });
    const id = await activeTrade(seller, buyer);
    assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration() }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_action');
    assert.equal(await h.send(seller, 'payment-history', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_action');
  });

  it('checks sender, status and hash in that order; payer-declared to the buyer (request_id) and the seller (null)', async () => {
    const { seller, buyer } = setup();
    const id = await h.newOrder(seller, { kind: 'sell' });
    assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration() }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_pubkey', 'not the buyer yet');
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    assert.equal(await h.send(seller, 'declare-payer', { id, payload: declaration() }), 'cant-do');
    assert.equal(h.cantDo(seller), 'invalid_pubkey');
    for (const bad of [HASH.toUpperCase(), HASH.slice(2), 'x']) {
      assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration(bad) }), 'cant-do');
      assert.equal(h.cantDo(buyer), 'invalid_payment_hash');
    }
    const mark = h.mark();
    assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration() }), 'handled');
    const toBuyer = h.last(buyer, 'payer-declared');
    assert.equal(toBuyer.requestId, 7n);
    assert.equal(toBuyer.id, id);
    assert.deepEqual(toBuyer.payload, declaration());
    const toSeller = h.last(seller, 'payer-declared');
    assert.equal(toSeller.requestId, null);
    assert.deepEqual(toSeller.payload, declaration());
    assert.deepEqual(h.actionsTo(seller, mark), ['payer-declared']);

    // Last write wins until fiat-sent; then not_allowed_by_status.
    await h.sellerPays(seller);
    const other = payerHash('EU|SEPA|X|BOB');
    assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration(other) }), 'handled');
    await h.send(buyer, 'fiat-sent', { id });
    assert.equal(await h.send(buyer, 'declare-payer', { id, payload: declaration() }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'not_allowed_by_status');
    const history = h.last(seller, 'payment-history');
    assert.ok(history.payload && 'payment_history' in history.payload);
    assert.equal(history.payload.payment_history.payment_hash, other);
  });
});

describe('payment history and require_declaration', () => {
  it('the seller sees earlier successful trades of the same payer, per distinct seller', async () => {
    const { seller, buyer } = setup();
    // Two earlier trades of this payer with the same seller, ending in success.
    for (let i = 0; i < 2; i++) {
      const id = await activeTrade(seller, buyer);
      await h.send(buyer, 'declare-payer', { id, payload: declaration() });
      await h.send(buyer, 'fiat-sent', { id });
      await h.send(seller, 'release', { id });
      assert.equal(h.order(id).status, 'success');
      h.rotate(seller);
      h.rotate(buyer);
      h.clock.advance(3600);
    }
    const id = await activeTrade(seller, buyer);
    await h.send(buyer, 'declare-payer', { id, payload: declaration() });
    const mark = h.mark();
    await h.send(buyer, 'fiat-sent', { id });
    assert.deepEqual(h.actionsTo(seller, mark), ['fiat-sent-ok', 'payment-history']);
    const pushed = h.last(seller, 'payment-history');
    assert.ok(pushed.payload && 'payment_history' in pushed.payload);
    const p = pushed.payload.payment_history;
    assert.equal(p.buyer_mode, 'reputation');
    assert.equal(p.successful_trades, 2);
    assert.equal(p.distinct_counterparties, 1);
    assert.equal(p.experienced_counterparties, 0, 'two trades are below experienced_min_trades');
    assert.ok(p.first_success_at !== null && p.last_success_at !== null && p.first_success_at < p.last_success_at);

    // The seller may also ask.
    assert.equal(await h.send(seller, 'payment-history', { id }), 'handled');
    const answered = h.last(seller, 'payment-history');
    assert.equal(answered.requestId, 7n);
    assert.deepEqual(answered.payload, pushed.payload);
    assert.equal(await h.send(buyer, 'payment-history', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_pubkey');
  });

  it('no declaration: the query answers payer_not_declared and fiat-sent pushes nothing', async () => {
    const { seller, buyer } = setup();
    const id = await activeTrade(seller, buyer);
    assert.equal(await h.send(seller, 'payment-history', { id }), 'cant-do');
    assert.equal(h.cantDo(seller), 'payer_not_declared');
    const mark = h.mark();
    await h.send(buyer, 'fiat-sent', { id });
    assert.deepEqual(h.actionsTo(seller, mark), ['fiat-sent-ok']);
  });

  it('require_declaration: fiat-sent before a declaration is payer_not_declared and changes nothing', async () => {
    const { seller, buyer } = setup({ enabled: true, require_declaration: true });
    const id = await activeTrade(seller, buyer);
    assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'cant-do');
    assert.equal(h.cantDo(buyer), 'payer_not_declared');
    assert.equal(h.order(id).status, 'active');
    await h.send(buyer, 'declare-payer', { id, payload: declaration() });
    assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'handled');
    assert.equal(h.order(id).status, 'fiat-sent');
  });
});
