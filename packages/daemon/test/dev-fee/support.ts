// Shared by the dev-fee tests: a finished trade on the harness, a destination served from a wallet
// of the simulated network, and the job's dependencies around them.
import assert from 'node:assert/strict';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import type { LnurlResolver } from '../../src/escrow/lnurl.ts';
import { type DevFeeDeps, payDevFees } from '../../src/jobs/dev-fee.ts';
import type { Harness } from '../app/harness.ts';

export const DEV_WALLET = 'devfund';
export const DEV_ADDRESS = 'dev@fund.example';
export const AMOUNT = 50_000;
/** round(2 × 150 × 0.30): the harness's fee 0.006 on 50 000 sats, the default dev share. */
export const DEV_FEE = 90;

/** An LNURL-pay destination answered by the simulated wallet `devfund` (counts invoices it gave). */
export function walletResolver(h: Harness, calls: string[] = []): LnurlResolver {
  return {
    check: async () => null,
    invoice: async (target, amountSats, comment) => {
      calls.push(`${target}:${amountSats}:${comment ?? ''}`);
      if (target !== DEV_ADDRESS) return { ok: false, reason: 'unknown address' };
      const inv = h.net.createInvoice(DEV_WALLET, { amountSats, expirySeconds: 600 });
      return inv.ok ? { ok: true, value: inv.value.request } : { ok: false, reason: 'wallet refused' };
    },
  };
}

export const nodeKey = generateSecretKey();

export function devFeeDeps(h: Harness, overrides: Partial<DevFeeDeps> = {}): DevFeeDeps {
  return {
    ctx: h.ctx,
    destination: DEV_ADDRESS,
    resolver: walletResolver(h),
    sign: (template) => finalizeEvent(template, nodeKey),
    networks: ['regtest'],
    random: () => 0,
    ...overrides,
  };
}

export const runDevFees = (h: Harness, overrides: Partial<DevFeeDeps> = {}) => payDevFees(devFeeDeps(h, overrides));

/** A sell trade taken, paid, released and paid out: the node holds its fee. */
export async function completedTrade(h: Harness): Promise<string> {
  const seller = h.user('seller');
  const buyer = h.user('buyer');
  const id = await h.newOrder(seller, { kind: 'sell', amount: AMOUNT, fiat_amount: 25 });
  await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  await h.sellerPays(seller);
  await h.send(buyer, 'fiat-sent', { id });
  await h.send(seller, 'release', { id });
  assert.equal(h.order(id).status, 'success');
  assert.equal(h.order(id).dev_fee, DEV_FEE);
  return id;
}

export const devPayments = (h: Harness) =>
  h.net.payments('mostro').filter((p) => p.state === 'succeeded' && p.amountMsat === BigInt(DEV_FEE) * 1000n);
