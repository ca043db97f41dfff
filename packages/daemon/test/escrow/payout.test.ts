// The buyer payout after release (§5.7 step 7): failures, retries every payment_retries_interval
// seconds, the new-invoice path, payments stuck in flight (never re-sent), and the route probes that
// warn the buyer before the seller releases.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { listJournal } from '../../src/db/journal.ts';
import { retryPayouts } from '../../src/jobs/payout-retries.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { fail } from '../../src/lightning/backend.ts';
import { Harness, type HarnessOptions, type User } from '../app/harness.ts';

let h: Harness;
let seller: User;
let buyer: User;

afterEach(() => h.close());

/** Probes that cannot tell (as when a node does not answer probes): payouts are tried for real. */
const probesUnknown: HarnessOptions['wrapLightning'] = (backend: LightningBackend) => ({
  ...backend,
  probeRoute: async () => fail('unavailable', 'probing disabled in this test'),
});

function setup(options: HarnessOptions = {}): void {
  h = new Harness(options);
  seller = h.user('seller');
  buyer = h.user('buyer');
}

const AMOUNT = 50_000;
const FEE = 150;

async function fiatSentTrade(invoice = h.buyerInvoice()): Promise<string> {
  const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 25 });
  assert.equal(
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, invoice, null] } }),
    'handled',
  );
  await h.sellerPays(seller);
  await h.send(buyer, 'fiat-sent', { id });
  assert.equal(h.order(id).status, 'fiat-sent');
  return id;
}

const succeededPayouts = () => h.net.payments('mostro').filter((p) => p.state === 'succeeded');

describe('payout failures and retries', () => {
  it('fails, is retried every interval, then asks for a new invoice; the new one is paid once', async () => {
    setup({ wrapLightning: probesUnknown });
    const id = await fiatSentTrade();
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'no_route', times: 3 }).ok);

    let mark = h.mark();
    await h.send(seller, 'release', { id });
    let o = h.order(id);
    assert.equal(o.status, 'settled-hold-invoice');
    assert.equal(o.hold_state, 'settled');
    assert.equal(o.payout_state, 'failed');
    assert.equal(o.payment_attempts, 1);
    assert.deepEqual(h.actionsTo(buyer, mark), ['released', 'payment-failed']);
    const failed = h.last(buyer, 'payment-failed');
    assert.deepEqual(failed.payload, { payment_failed: { payment_attempts: 2, payment_retries_interval: 60 } });

    mark = h.mark();
    assert.deepEqual(await retryPayouts(h.ctx), [], 'not before the interval');
    h.clock.advance(60);
    assert.deepEqual(await retryPayouts(h.ctx), [id]);
    assert.equal(h.order(id).payment_attempts, 2);
    assert.deepEqual(h.actionsTo(buyer, mark), [], 'only the first failure is announced');
    h.clock.advance(60);
    await retryPayouts(h.ctx);
    o = h.order(id);
    assert.equal(o.payment_attempts, 3);
    assert.deepEqual(h.actionsTo(buyer, mark), ['add-invoice']);
    const ask = h.last(buyer, 'add-invoice');
    assert.ok(ask.payload && 'order' in ask.payload);
    assert.equal(ask.payload.order.amount, AMOUNT - FEE);
    h.clock.advance(600);
    assert.deepEqual(await retryPayouts(h.ctx), [], 'exhausted: waits for the new invoice');

    mark = h.mark();
    const fresh = h.buyerInvoice('buyer2');
    assert.equal(
      await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, fresh, null] } }),
      'handled',
    );
    assert.deepEqual(h.actionsTo(buyer, mark), ['invoice-updated', 'purchase-completed', 'rate']);
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.balanceSats('buyer2'), AMOUNT - FEE);
    assert.equal(h.balanceSats('buyer'), 0);
    assert.equal(succeededPayouts().length, 1);
    await h.assertInvariant();
  });

  it('a payment stuck in flight is only ever asked about by hash, and cannot be replaced', async () => {
    setup({ wrapLightning: probesUnknown });
    const invoice = h.buyerInvoice();
    const id = await fiatSentTrade(invoice);
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'stuck', times: 1 }).ok);
    await h.send(seller, 'release', { id });
    let o = h.order(id);
    assert.equal(o.payout_state, 'in_flight');
    assert.ok(o.payout_hash);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(120);
      await retryPayouts(h.ctx);
    }
    assert.equal(h.order(id).payout_state, 'in_flight');
    assert.equal(h.order(id).payment_attempts, 1, 'never re-sent');
    assert.equal(
      await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice('buyer2'), null] } }),
      'cant-do',
    );
    assert.equal(h.cantDo(buyer), 'not_allowed_by_status');

    assert.ok(h.net.releasePayment('mostro', o.payout_hash, 'deliver').ok);
    await retryPayouts(h.ctx);
    o = h.order(id);
    assert.equal(o.status, 'success');
    assert.equal(h.balanceSats('buyer'), AMOUNT - FEE);
    assert.equal(h.balanceSats('buyer2'), 0);
    assert.equal(h.net.payments('mostro').length, 1);
    await h.assertInvariant();
  });

  it('a stuck payment that fails back is retried with the same invoice', async () => {
    setup({ wrapLightning: probesUnknown });
    const id = await fiatSentTrade();
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'stuck', times: 1 }).ok);
    await h.send(seller, 'release', { id });
    const hash = h.order(id).payout_hash!;
    assert.ok(h.net.releasePayment('mostro', hash, 'fail').ok);
    const mark = h.mark();
    await retryPayouts(h.ctx);
    assert.equal(h.order(id).payout_state, 'failed');
    assert.deepEqual(h.actionsTo(buyer, mark), ['payment-failed']);
    h.clock.advance(60);
    await retryPayouts(h.ctx);
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.order(id).payout_hash, hash);
    assert.equal(succeededPayouts().length, 1);
    await h.assertInvariant();
  });
});

describe('unknown payout outcomes fail closed', () => {
  it('the answer to pay is lost: the payment is asked about by hash, never sent again', async () => {
    let lose = true;
    let reachable = false;
    setup({
      wrapLightning: (backend) => ({
        ...backend,
        probeRoute: async () => fail('unavailable', 'no probes'),
        pay: async (args) => {
          const r = await backend.pay(args);
          if (!lose) return r;
          lose = false;
          return fail('unavailable', 'connection lost after sending');
        },
        getPayment: async (hash) => (reachable ? backend.getPayment(hash) : fail('unavailable', 'node unreachable')),
      }),
    });
    const id = await fiatSentTrade();
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).payout_state, 'in_flight');
    for (let i = 0; i < 3; i++) {
      h.clock.advance(120);
      await retryPayouts(h.ctx);
    }
    assert.equal(h.order(id).payout_state, 'in_flight', 'unknown stays unknown while the node cannot tell');
    assert.equal(h.net.payments('mostro').length, 1);
    reachable = true;
    await retryPayouts(h.ctx);
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.order(id).payment_attempts, 1);
    assert.equal(h.balanceSats('buyer'), AMOUNT - FEE);
    assert.ok(listJournal(h.db, id).some((e) => e.step === 'payout.unknown'));
    await h.assertInvariant();
  });
});

describe('route probes (beyond the reference)', () => {
  it('fiat-sent finds the invoice unpayable and asks the buyer for another before the release', async () => {
    setup();
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 25 });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await h.sellerPays(seller);
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'payee_offline' }).ok);
    let mark = h.mark();
    await h.send(buyer, 'fiat-sent', { id });
    assert.deepEqual(h.actionsTo(buyer, mark), ['fiat-sent-ok', 'add-invoice']);
    assert.equal(h.order(id).status, 'fiat-sent');

    mark = h.mark();
    const other = h.buyerInvoice('buyer2');
    assert.equal(
      await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, other, null] } }),
      'handled',
    );
    assert.deepEqual(h.actionsTo(buyer, mark), ['invoice-updated']);
    assert.equal(h.order(id).buyer_invoice, other);
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.balanceSats('buyer2'), AMOUNT - FEE);
    await h.assertInvariant();
  });

  it('an invoice the pre-settle probe calls unpayable and that then fails is not retried: new invoice at once', async () => {
    setup();
    const id = await fiatSentTrade();
    assert.ok(h.net.injectFailure({ wallet: 'buyer', failure: 'no_route' }).ok);
    const mark = h.mark();
    await h.send(seller, 'release', { id });
    assert.deepEqual(h.actionsTo(buyer, mark), ['released', 'payment-failed', 'add-invoice']);
    const o = h.order(id);
    assert.equal(o.payment_attempts, 3);
    const probe = listJournal(h.db, id).find(
      (e) => e.step === 'payout.probe' && (e.detail as { verdict: string }).verdict === 'unpayable',
    );
    assert.ok(probe, 'the probe is journaled');
    h.net.clearFailures();
    h.clock.advance(600);
    assert.deepEqual(await retryPayouts(h.ctx), []);
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    assert.equal(h.order(id).status, 'success');
    await h.assertInvariant();
  });
});
