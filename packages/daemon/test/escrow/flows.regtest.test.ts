// The core escrow flows against real LND nodes on regtest (scripts/regtest/setup.mjs): `node` is the
// Mostro node's LND, `seller` pays the hold invoices, `buyer` is paid. Handlers, escrow and jobs are
// the real ones; only the clock is moved by hand (starting at the real time, for LND's sake).
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type AuthenticatedLnd, cancelHodlInvoice, createInvoice, getInvoice, payViaPaymentRequest } from 'lightning';
import { guardEscrowDeadlines } from '../../src/jobs/cltv-guardian.ts';
import { expireWaitingOrders } from '../../src/jobs/waiting-timeouts.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { Harness, type User } from '../app/harness.ts';
import {
  lndConfigOf,
  mineBlocks,
  type RegtestEnv,
  type RegtestLnd,
  rawLnd,
  regtestEnv,
} from '../lightning/regtest-env.ts';

const AMOUNT = 20_000;
const FEE = 60; // round(0.006 × 20 000 / 2)

let net: RegtestEnv;
let nodeBackend: LightningBackend;
let buyerLnd: AuthenticatedLnd;
let sellerLnd: AuthenticatedLnd;
let h: Harness;
let seller: User;
let buyer: User;

/** Waits for the node to get somewhere (a bound, not a timing assertion: a broken network fails instead of hanging). */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await h.settle();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

before(async () => {
  net = regtestEnv();
  nodeBackend = await createLndBackend(lndConfigOf(net.nodes.node));
  buyerLnd = rawLnd(net.nodes.buyer);
  sellerLnd = rawLnd(net.nodes.seller);
});
after(async () => {
  await nodeBackend?.close();
  // gRPC clients keep the process alive otherwise.
  for (const lnd of [buyerLnd, sellerLnd]) {
    for (const client of Object.values(lnd ?? {})) (client as { close?: () => void })?.close?.();
  }
});

function setup(settings: Record<string, Record<string, unknown>> = {}): void {
  h = new Harness({
    clockStart: Math.floor(Date.now() / 1000),
    settings: { lightning: { backend: 'simulated' }, ...settings },
    // The node's escrow talks to the real LND; close() must not close the shared backend.
    wrapLightning: () => ({ ...nodeBackend, close: async () => {} }),
  });
  seller = h.user('seller');
  buyer = h.user('buyer');
}
beforeEach(() => setup());
afterEach(() => {
  h.escrow.close();
  h.close();
});

async function buyerInvoice(tokens?: number): Promise<{ request: string; id: string }> {
  const inv = await createInvoice({ lnd: buyerLnd, ...(tokens ? { tokens } : {}), description: 'mostro payout' });
  return { request: inv.request, id: inv.id };
}

/** The seller's LND pays the hold invoice it was sent (the payment stays pending until settle/cancel). */
function sellerPays(): void {
  const m = h.last(seller, 'pay-invoice');
  assert.ok(m.payload && 'payment_request' in m.payload);
  payViaPaymentRequest({ lnd: sellerLnd, request: m.payload.payment_request[1], max_fee: 100 }).catch(() => {});
}

async function holdState(id: string): Promise<string> {
  const r = await nodeBackend.getHoldInvoice(h.order(id).hash!);
  assert.ok(r.ok);
  return r.value.state;
}

describe('escrow flows on regtest LND', () => {
  it('sell order: take with invoice, seller pays, fiat-sent, release, buyer paid', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
    const invoice = await buyerInvoice();
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, invoice.request, null] } }),
      'handled',
    );
    assert.equal(h.order(id).status, 'waiting-payment');
    sellerPays();
    await until('hold accepted', () => h.order(id).status === 'active');
    assert.deepEqual(h.actionsTo(seller).slice(-1), ['buyer-took-order']);
    await h.send(buyer, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
    await until('payout', () => h.order(id).status === 'success');
    const paid = await getInvoice({ lnd: buyerLnd, id: invoice.id });
    assert.equal(paid.is_confirmed, true);
    assert.equal(paid.received, AMOUNT - FEE);
    assert.deepEqual(h.actionsTo(buyer).slice(-3), ['released', 'purchase-completed', 'rate']);
    await h.assertInvariant();
  });

  it('buy order: maker gives an invoice, seller takes and pays, release, buyer paid', async () => {
    const invoice = await buyerInvoice(AMOUNT - FEE);
    const id = await h.newOrder(buyer, { kind: 'buy', amount: AMOUNT, fiat_amount: 10 });
    await h.send(seller, 'take-buy', { id });
    sellerPays();
    await until('hold accepted', () => h.order(id).status === 'waiting-buyer-invoice');
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, invoice.request, null] } });
    assert.equal(h.order(id).status, 'active');
    await h.send(buyer, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
    await until('payout', () => h.order(id).status === 'success');
    assert.equal((await getInvoice({ lnd: buyerLnd, id: invoice.id })).is_confirmed, true);
    await h.assertInvariant();
  });

  it('taker cancel after paying: the hold invoice is canceled at LND and the order is back on the book', async () => {
    const id = await h.newOrder(buyer, { kind: 'buy', amount: AMOUNT, fiat_amount: 10 });
    await h.send(seller, 'take-buy', { id });
    const hash = h.order(id).hash!;
    sellerPays();
    await until('hold accepted', () => h.order(id).status === 'waiting-buyer-invoice');
    assert.equal(await h.send(seller, 'cancel', { id }), 'handled');
    assert.equal(h.order(id).status, 'pending');
    const hold = await nodeBackend.getHoldInvoice(hash);
    assert.ok(hold.ok);
    assert.equal(hold.value.state, 'canceled');
  });

  it('payout failure, then a new invoice from the buyer is paid', async () => {
    h.close();
    setup({ lightning: { backend: 'simulated', payment_attempts: 1 } });
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
    const doomed = await buyerInvoice();
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, doomed.request, null] } });
    sellerPays();
    await until('hold accepted', () => h.order(id).status === 'active');
    await h.send(buyer, 'fiat-sent', { id });
    // The buyer's node forgets the invoice: the payout reaches it and is refused.
    await cancelHodlInvoice({ lnd: buyerLnd, id: doomed.id });
    await h.send(seller, 'release', { id });
    await until('payout failed', () => h.order(id).payout_state === 'failed');
    assert.equal(h.order(id).status, 'settled-hold-invoice');
    assert.deepEqual(h.actionsTo(buyer).slice(-2), ['payment-failed', 'add-invoice']);
    const fresh = await buyerInvoice();
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, fresh.request, null] } });
    await until('payout', () => h.order(id).status === 'success');
    assert.equal((await getInvoice({ lnd: buyerLnd, id: fresh.id })).is_confirmed, true);
    await h.assertInvariant();
  });

  it('timeout: the seller-maker never pays; the order is canceled and the hold invoice with it', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
    await h.send(buyer, 'take-sell', {
      id,
      payload: { payment_request: [null, (await buyerInvoice()).request, null] },
    });
    assert.equal(await holdState(id), 'open');
    h.clock.advance(901);
    assert.deepEqual(await expireWaitingOrders(h.ctx), [{ orderId: id, outcome: 'canceled' }]);
    assert.equal(await holdState(id), 'canceled');
    await h.assertInvariant();
  });

  it('CLTV guardian: a fiat-sent trade near the HTLC deadline gets a dispute before LND would cancel it', async () => {
    const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
    await h.send(buyer, 'take-sell', {
      id,
      payload: { payment_request: [null, (await buyerInvoice()).request, null] },
    });
    sellerPays();
    await until('hold accepted', () => h.order(id).status === 'active');
    await h.send(buyer, 'fiat-sent', { id });
    const hold = await nodeBackend.getHoldInvoice(h.order(id).hash!);
    assert.ok(hold.ok && hold.value.htlcExpiryHeight);
    const info = await nodeBackend.getInfo();
    assert.ok(info.ok);
    const target = hold.value.htlcExpiryHeight - 20; // inside the 24-block margin, before LND's 12
    await mineBlocks(target - info.value.blockHeight, net);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = await nodeBackend.getInfo();
      if (now.ok && now.value.blockHeight >= target) break;
      if (Date.now() > deadline) throw new Error('lnd did not catch up with the chain');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(await guardEscrowDeadlines(h.ctx), [{ orderId: id, action: 'dispute' }]);
    assert.equal(h.order(id).status, 'dispute');
    assert.equal(await holdState(id), 'accepted', 'the sats are still held for the solver');
    assert.deepEqual(h.actionsTo(buyer).slice(-1), ['dispute-initiated-by-you']);
    // Refund, so the seller's payment ends (and the next tests start from a quiet network).
    await h.ctx.escrow.cancelHold(h.order(id));
    assert.equal(await holdState(id), 'canceled');
  });
});
