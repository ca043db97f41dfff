// Crashes at every Lightning call of a trade: the "process" dies right before or right after the call
// (its database handle closed at once, nothing else it does reaches the outside), both SQLite files
// are reopened, reconcile() runs, and the trade completes (or refunds) with the invariant holding and
// the buyer paid at most once.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { Harness, type User } from '../app/harness.ts';

type Method = 'addHoldInvoice' | 'settleHoldInvoice' | 'cancelHoldInvoice' | 'pay';
type When = 'before' | 'after';

class Crash extends Error {
  constructor(point: string) {
    super(`simulated crash ${point}`);
  }
}

/** Arms one crash point; the wrapped backend dies there once. */
class Crasher {
  point: { method: Method; when: When } | null = null;
  onCrash: () => void = () => {};

  wrap = (backend: LightningBackend): LightningBackend => {
    const wrapped: LightningBackend = { ...backend };
    for (const method of ['addHoldInvoice', 'settleHoldInvoice', 'cancelHoldInvoice', 'pay'] as const) {
      const original = backend[method] as (...args: unknown[]) => Promise<unknown>;
      (wrapped as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        const armed = this.point?.method === method ? this.point : null;
        if (armed?.when === 'before') this.#die(`before ${method}`);
        const result = await original(...args);
        if (armed?.when === 'after') this.#die(`after ${method}`);
        return result;
      };
    }
    return wrapped;
  };

  #die(where: string): never {
    this.point = null;
    this.onCrash();
    throw new Crash(where);
  }
}

let h: Harness;
let crasher: Crasher;
let seller: User;
let buyer: User;

function setup(): void {
  crasher = new Crasher();
  h = new Harness({ wrapLightning: crasher.wrap });
  crasher.onCrash = () => h.simulateCrash();
  seller = h.user('seller');
  buyer = h.user('buyer');
}
afterEach(() => h.close());

const AMOUNT = 50_000;
const FEE = 150;

async function restartAndReconcile(): Promise<void> {
  await h.restart();
  const report = await h.escrow.reconcileReport();
  await h.settle();
  assert.deepEqual(report.unresolved, []);
}

/** Drives a sell trade (taker gives the invoice) to success from wherever it is. */
async function finish(id: string): Promise<void> {
  if (h.order(id).status === 'waiting-payment') await h.sellerPays(seller);
  if (h.order(id).status === 'active') assert.equal(await h.send(buyer, 'fiat-sent', { id }), 'handled');
  if (h.order(id).status === 'fiat-sent') assert.equal(await h.send(seller, 'release', { id }), 'handled');
  assert.equal(h.order(id).status, 'success');
}

async function assertPaidOnce(): Promise<void> {
  assert.equal(h.balanceSats('buyer'), AMOUNT - FEE, 'buyer received amount − fee exactly once');
  assert.equal(h.net.payments('mostro').filter((p) => p.state === 'succeeded').length, 1);
  await h.assertInvariant();
}

async function takenSellOrder(crash: { method: Method; when: When } | null = null): Promise<string> {
  const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 25 });
  crasher.point = crash;
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  return id;
}

describe('reconcile after a crash at each Lightning call', () => {
  for (const when of ['before', 'after'] as const) {
    it(`creating the hold invoice (${when}): the seller still gets a payable hold invoice`, async () => {
      setup();
      const id = await takenSellOrder({ method: 'addHoldInvoice', when });
      assert.ok(h.crashed);
      await restartAndReconcile();
      const o = h.order(id);
      assert.equal(o.status, 'waiting-payment');
      assert.equal(o.hold_state, 'open');
      assert.deepEqual(h.actionsTo(seller).filter((a) => a === 'pay-invoice').length >= 1, true);
      await finish(id);
      await assertPaidOnce();
    });
  }

  it('creating the hold invoice of a sell order taken without invoice (add-invoice step, before)', async () => {
    setup();
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 25 });
    await h.send(buyer, 'take-sell', { id });
    crasher.point = { method: 'addHoldInvoice', when: 'before' };
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'waiting-payment');
    await finish(id);
    await assertPaidOnce();
  });

  it('the seller pays while the node is down: the trade starts at reconcile', async () => {
    setup();
    const id = await takenSellOrder();
    h.simulateCrash();
    await h.sellerPays(seller);
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'active');
    assert.deepEqual(h.actionsTo(seller).at(-1), 'buyer-took-order');
    await finish(id);
    await assertPaidOnce();
  });

  for (const when of ['before', 'after'] as const) {
    it(`settling the hold invoice (${when}): settled once, buyer paid once`, async () => {
      setup();
      const id = await takenSellOrder();
      await h.sellerPays(seller);
      await h.send(buyer, 'fiat-sent', { id });
      crasher.point = { method: 'settleHoldInvoice', when };
      await h.send(seller, 'release', { id });
      assert.ok(h.crashed);
      await restartAndReconcile();
      assert.equal(h.order(id).status, 'success');
      // The release's messages were lost with the process; they are sent once the settle is done.
      assert.deepEqual(h.actionsTo(buyer).slice(-3), ['released', 'purchase-completed', 'rate']);
      assert.deepEqual(h.actionsTo(seller).slice(-2), ['hold-invoice-payment-settled', 'rate']);
      await restartAndReconcile();
      assert.equal(h.actionsTo(buyer).filter((a) => a === 'released').length, 1, 'announced once');
      await assertPaidOnce();
    });
  }

  for (const when of ['before', 'after'] as const) {
    it(`paying the buyer (${when}): tracked by hash, never paid twice`, async () => {
      setup();
      const id = await takenSellOrder();
      await h.sellerPays(seller);
      await h.send(buyer, 'fiat-sent', { id });
      crasher.point = { method: 'pay', when };
      await h.send(seller, 'release', { id });
      assert.ok(h.crashed);
      await restartAndReconcile();
      assert.equal(h.order(id).status, 'success');
      assert.equal(h.order(id).payment_attempts, 1);
      // A second reconcile (another restart) changes nothing.
      await restartAndReconcile();
      await assertPaidOnce();
    });
  }

  for (const when of ['before', 'after'] as const) {
    it(`canceling the hold on a maker cancel (${when}): the seller ends refunded`, async () => {
      setup();
      const id = await takenSellOrder();
      crasher.point = { method: 'cancelHoldInvoice', when };
      await h.send(seller, 'cancel', { id });
      await restartAndReconcile();
      assert.equal(h.order(id).status, 'canceled');
      assert.equal(h.order(id).hold_state, 'canceled');
      await h.assertInvariant();
    });
  }

  it('canceling an accepted hold on a cooperative cancel (before): refunded in full at reconcile', async () => {
    setup();
    const id = await takenSellOrder();
    await h.sellerPays(seller);
    await h.send(buyer, 'cancel', { id });
    crasher.point = { method: 'cancelHoldInvoice', when: 'before' };
    await h.send(seller, 'cancel', { id });
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'cooperatively-canceled');
    assert.equal(h.balanceSats('seller'), 10_000_000);
    await h.assertInvariant();
  });

  it('a buy trade survives a restart at every state', async () => {
    setup();
    const id = await h.newOrder(buyer, { kind: 'buy', amount: AMOUNT, fiat_amount: 25 });
    await h.send(seller, 'take-buy', { id });
    await restartAndReconcile();
    await h.sellerPays(seller);
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'active');
    await h.send(buyer, 'fiat-sent', { id });
    await restartAndReconcile();
    crasher.point = { method: 'pay', when: 'after' };
    await h.send(seller, 'release', { id });
    await restartAndReconcile();
    assert.equal(h.order(id).status, 'success');
    await assertPaidOnce();
  });
});
