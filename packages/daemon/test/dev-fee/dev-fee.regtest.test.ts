// The dev fee on real LND (regtest, scripts/regtest/setup.mjs): a sell trade through the node's
// LND, then the dev-fee job pays the fee to the `buyer` LND (the destination's LNURL-pay answer is an
// invoice of that node) — the sats really arrive, once, and the audit event names the payment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDevFeeEvent } from '@mostro/protocol';
import { type AuthenticatedLnd, createInvoice, getInvoice, payViaPaymentRequest } from 'lightning';
import { getDevFee } from '../../src/db/dev-fees.ts';
import type { LnurlResolver } from '../../src/escrow/lnurl.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { Harness } from '../app/harness.ts';
import { lndConfigOf, type RegtestLnd, rawLnd, regtestEnv } from '../lightning/regtest-env.ts';
import { DEV_ADDRESS, runDevFees } from './support.ts';

const AMOUNT = 20_000;
const DEV_FEE = 36; // round(2 × 60 × 0.30)

let nodeBackend: LightningBackend;
let buyerLnd: AuthenticatedLnd;
let sellerLnd: AuthenticatedLnd;

before(async () => {
  const net = regtestEnv();
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

async function until(h: Harness, what: string, check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await h.settle();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('dev fee on regtest LND', () => {
  it('reaches the destination node once, with its 8383 audit event', async () => {
    const h = new Harness({
      clockStart: Math.floor(Date.now() / 1000),
      wrapLightning: () => ({ ...nodeBackend, close: async () => {} }),
    });
    try {
      const seller = h.user('seller');
      const buyer = h.user('buyer');
      const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 10 });
      const payout = await createInvoice({ lnd: buyerLnd, description: 'mostro payout' });
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, payout.request, null] } });
      const hold = h.last(seller, 'pay-invoice');
      assert.ok(hold.payload && 'payment_request' in hold.payload);
      payViaPaymentRequest({ lnd: sellerLnd, request: hold.payload.payment_request[1], max_fee: 100 }).catch(() => {});
      await until(h, 'hold accepted', () => h.order(id).status === 'active');
      await h.send(buyer, 'fiat-sent', { id });
      await h.send(seller, 'release', { id });
      await until(h, 'payout', () => h.order(id).status === 'success');
      assert.equal(h.order(id).dev_fee, DEV_FEE);

      const issued: string[] = [];
      const resolver: LnurlResolver = {
        check: async () => null,
        invoice: async (_target, amountSats) => {
          const inv = await createInvoice({ lnd: buyerLnd, tokens: amountSats, description: 'mostro dev fee' });
          issued.push(inv.id);
          return { ok: true, value: inv.request };
        },
      };
      h.clock.set(Math.floor(Date.now() / 1000));
      assert.deepEqual([...(await runDevFees(h, { resolver }))], [[id, 'paid']]);
      assert.equal(issued.length, 1);
      const received = await getInvoice({ lnd: buyerLnd, id: issued[0]! });
      assert.equal(received.is_confirmed, true);
      assert.equal(received.received, DEV_FEE);

      assert.equal(getDevFee(h.db, id)?.dev_fee_paid, 1);
      assert.equal(h.events.length, 1);
      const audit = parseDevFeeEvent(h.events[0]);
      assert.equal(audit.hash, issued[0]);
      assert.equal(audit.amount, DEV_FEE);
      assert.equal(audit.destination, DEV_ADDRESS);

      h.clock.advance(3600);
      assert.deepEqual([...(await runDevFees(h, { resolver }))], []);
      assert.equal(issued.length, 1, 'never a second invoice, never a second payment');
    } finally {
      h.escrow.close();
      h.close();
    }
  });
});
