// Payouts while LND is unsynced (reference-0.20.md §4.2, §8 item 22): the payout waits, consumes
// no attempt and tells the buyer nothing; once LND is back the retry job pays it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { retryPayouts } from '../../src/jobs/payout-retries.ts';
import { Harness, type User } from '../app/harness.ts';

let h: Harness;
let seller: User;
let buyer: User;
let deferred: boolean;

beforeEach(() => {
  h = new Harness();
  seller = h.user('seller');
  buyer = h.user('buyer');
  deferred = false;
  h.ctx.lndSync = { paymentsDeferred: () => deferred };
});
afterEach(() => h.close());

async function releasedTrade(): Promise<string> {
  const id = await h.newOrder(seller, { kind: 'sell' });
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  await h.sellerPays(seller);
  await h.send(buyer, 'fiat-sent', { id });
  return id;
}

describe('payouts deferred while LND is unsynced', () => {
  it('release settles the hold but sends no payment, consumes no attempt, no payment-failed; paid when synced', async () => {
    const id = await releasedTrade();
    deferred = true;
    const mark = h.mark();
    await h.send(seller, 'release', { id });
    let o = h.order(id);
    assert.equal(o.status, 'settled-hold-invoice');
    assert.equal(o.hold_state, 'settled');
    assert.equal(o.payment_attempts, 0);
    assert.ok(o.payout_state === 'none' || o.payout_state === null, String(o.payout_state));
    assert.ok(!h.actionsTo(buyer, mark).includes('payment-failed'));
    assert.ok(!h.actionsTo(buyer, mark).includes('add-invoice'));

    // Many retry runs while still unsynced: nothing changes.
    for (let i = 0; i < 5; i++) {
      h.clock.advance(120);
      await retryPayouts(h.ctx);
      await h.settle();
    }
    o = h.order(id);
    assert.equal(o.payment_attempts, 0);
    assert.equal(o.status, 'settled-hold-invoice');

    deferred = false;
    await retryPayouts(h.ctx);
    await h.settle();
    o = h.order(id);
    assert.equal(o.status, 'success');
    assert.equal(o.payment_attempts, 1);
    assert.deepEqual(
      h.actionsTo(buyer, mark).filter((a) => a === 'purchase-completed'),
      ['purchase-completed'],
    );
    await h.assertInvariant();
  });
});
