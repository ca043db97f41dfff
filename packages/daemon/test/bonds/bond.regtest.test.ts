// Bond hold invoices on real LND (scripts/regtest/setup.mjs): the taker's (buyer's) LND pays the
// bond, which the node's LND really holds; the bond is released (canceled: the payment fails back
// to the buyer) when the take is undone, and slashed (settled) by a solver, whose share the seller's
// LND is then paid once.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type AuthenticatedLnd, createInvoice, getInvoice, payViaPaymentRequest } from 'lightning';
import { runBondJobs } from '../../src/bonds/jobs.ts';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { Harness, type User } from '../app/harness.ts';
import { lndConfigOf, type RegtestEnv, type RegtestLnd, rawLnd, regtestEnv } from '../lightning/regtest-env.ts';
import { bondInvoiceTo, nodeSolver, onlyBond } from './support.ts';

const AMOUNT = 20_000;
const FEE = 60;
const BOND = 1000; // max(round(20 000 × 0.01), 1000)
const SHARE = 500;

let net: RegtestEnv;
let nodeBackend: LightningBackend;
let buyerLnd: AuthenticatedLnd;
let sellerLnd: AuthenticatedLnd;
let h: Harness;

before(async () => {
  net = regtestEnv();
  nodeBackend = await createLndBackend(lndConfigOf(net.nodes.node));
  buyerLnd = rawLnd(net.nodes.buyer);
  sellerLnd = rawLnd(net.nodes.seller);
});
after(async () => {
  await nodeBackend?.close();
  for (const lnd of [buyerLnd, sellerLnd]) {
    for (const client of Object.values(lnd ?? {})) (client as { close?: () => void })?.close?.();
  }
});
afterEach(() => h.close());

function bondedNode(): Harness {
  return new Harness({
    clockStart: Math.floor(Date.now() / 1000),
    settings: { lightning: { backend: 'simulated' }, anti_abuse_bond: { enabled: true } },
    wrapLightning: () => ({ ...nodeBackend, close: async () => {} }),
  });
}

/** A bound on waiting for LND, not a timing assertion: a broken network fails instead of hanging. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await h.settle();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const bondState = async (hash: string): Promise<string> => {
  const r = await nodeBackend.getHoldInvoice(hash);
  assert.ok(r.ok);
  return r.value.state;
};

/** A sell order taken by the buyer, whose LND pays the bond; returns the order id and the pending payment. */
async function takenWithBond(seller: User, buyer: User): Promise<{ id: string; payment: Promise<unknown> }> {
  const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
  assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
  const { request } = bondInvoiceTo(h, buyer);
  const decoded = await nodeBackend.decodeInvoice(request);
  assert.ok(decoded.ok);
  assert.equal(decoded.value.minFinalCltvExpiry, 432, 'the bond has its own CLTV delta');
  assert.equal(decoded.value.amountMsat, BigInt(BOND) * 1000n);
  const payment = payViaPaymentRequest({ lnd: buyerLnd, request, max_fee: 100 });
  payment.catch(() => {});
  await waitFor('the bond to lock', () => h.order(id).status === 'waiting-buyer-invoice');
  assert.equal(await bondState(onlyBond(h, id).hash), 'accepted', 'LND holds the bond');
  return { id, payment };
}

describe('bonds on LND regtest', () => {
  it('a real bond hold invoice is held, then released when the taker backs out', async () => {
    h = bondedNode();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, payment } = await takenWithBond(seller, buyer);
    assert.equal(await h.send(buyer, 'cancel', { id }), 'handled');
    assert.equal(h.order(id).status, 'pending', 'the take is undone');
    await runBondJobs(h.ctx);
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await bondState(onlyBond(h, id).hash), 'canceled');
    await assert.rejects(payment, 'the buyer LND sees its payment fail: the sats are back');
    h.assertNoErrors();
  });

  it('a real bond is slashed by the solver and the share is paid to the seller once', async () => {
    h = bondedNode();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id } = await takenWithBond(seller, buyer);
    const payout = await createInvoice({ lnd: buyerLnd, tokens: AMOUNT - FEE, description: 'mostro payout' });
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, payout.request, null] } });
    const hold = h.last(seller, 'pay-invoice');
    assert.ok(hold.payload && 'payment_request' in hold.payload);
    payViaPaymentRequest({ lnd: sellerLnd, request: hold.payload.payment_request[1], max_fee: 100 }).catch(() => {});
    await waitFor('the seller to pay', () => h.order(id).status === 'active');
    assert.equal(await h.send(buyer, 'dispute', { id }), 'handled');
    const solver = nodeSolver(h);
    assert.equal(await h.send(solver, 'admin-take-dispute', { id: getDisputeByOrder(h.db, id)!.id }), 'handled');
    assert.equal(
      await h.send(solver, 'admin-cancel', {
        id,
        payload: { bond_resolution: { slash_seller: false, slash_buyer: true } },
      }),
      'handled',
    );
    await waitFor('the slash', () => onlyBond(h, id).state === 'slashed');
    assert.equal(await bondState(onlyBond(h, id).hash), 'settled', 'LND settled the bond');

    const claim = await createInvoice({ lnd: sellerLnd, tokens: SHARE, description: 'bond share' });
    assert.equal(
      await h.send(seller, 'add-bond-invoice', { id, payload: { payment_request: [null, claim.request, null] } }),
      'handled',
    );
    await waitFor('the share payout', () => onlyBond(h, id).payout_state === 'succeeded');
    const paid = await getInvoice({ lnd: sellerLnd, id: claim.id });
    assert.equal(paid.is_confirmed, true);
    assert.equal(paid.received, SHARE);
    await runBondJobs(h.ctx);
    assert.equal(onlyBond(h, id).payout_attempts, 1, 'paid once');
    h.assertNoErrors();
  });
});
