// Bond tests on the handler-level harness (test/app/harness.ts): a node with `[anti_abuse_bond]`
// on, wallets that pay bond invoices, and the bond job run by hand on the hand-moved clock.
import assert from 'node:assert/strict';
import type { SmallOrder } from '@mostro/protocol';
import { runBondJobs } from '../../src/bonds/jobs.ts';
import { type BondRow, listBondsOfOrder } from '../../src/db/bonds.ts';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import { fail, type LightningBackend } from '../../src/lightning/backend.ts';
import { Harness, type HarnessOptions, type User } from '../app/harness.ts';

export const AMOUNT = 200_000; // 100 USD at 50 000 USD/BTC
export const FEE = 600;
export const BOND = 2000; // max(round(200 000 × 0.01), 1000)

export function bondHarness(bond: Record<string, unknown> = {}, options: HarnessOptions = {}): Harness {
  return new Harness({
    ...options,
    settings: { ...options.settings, anti_abuse_bond: { enabled: true, ...bond } },
  });
}

/** The bond invoice last sent to the user, with the SmallOrder it came with. */
export function bondInvoiceTo(h: Harness, user: User): { order: SmallOrder; request: string } {
  const m = h.last(user, 'pay-bond-invoice');
  assert.ok(m.payload && 'payment_request' in m.payload);
  const [order, request] = m.payload.payment_request;
  assert.ok(order);
  return { order, request };
}

/** The user's wallet (named after the user) pays its last bond invoice; waits for the node. */
export async function payBond(h: Harness, user: User): Promise<void> {
  assert.ok(h.net.fund(user.name, 1_000_000).ok);
  const r = h.net.pay(user.name, { request: bondInvoiceTo(h, user).request, maxFeeSats: 100 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  await h.settle();
}

export async function runJobs(h: Harness): Promise<void> {
  await runBondJobs(h.ctx);
  await h.settle();
}

export function bondsOf(h: Harness, orderId: string): BondRow[] {
  return listBondsOfOrder(h.db, orderId);
}

export function onlyBond(h: Harness, orderId: string): BondRow {
  const bonds = bondsOf(h, orderId);
  assert.equal(bonds.length, 1);
  return bonds[0]!;
}

/** The node key as a solver (full privacy: identity = sender). */
export function nodeSolver(h: Harness): User {
  return { name: 'node', identity: h.ctx.nodePubkey, trade: h.ctx.nodePubkey, nextIndex: 1, fullPrivacy: true };
}

type Faulty = 'addHoldInvoice' | 'settleHoldInvoice' | 'pay';

/**
 * A backend whose next call of `method` fails once with an unknown outcome: `lost` = the call never
 * reached the backend, `done` = it did its work but the answer was lost (a timeout), `crash` = it
 * did its work and the node died before hearing back (`onCrash`).
 */
export class FlakyLightning {
  armed: { method: Faulty; kind: 'lost' | 'done' | 'crash' } | null = null;
  onCrash: () => void = () => {};

  wrap = (backend: LightningBackend): LightningBackend => {
    const wrapped: LightningBackend = { ...backend };
    for (const method of ['addHoldInvoice', 'settleHoldInvoice', 'pay'] as const) {
      const original = backend[method] as (...args: unknown[]) => Promise<unknown>;
      (wrapped as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        const armed = this.armed?.method === method ? this.armed : null;
        if (!armed) return original(...args);
        this.armed = null;
        if (armed.kind !== 'lost') await original(...args);
        if (armed.kind === 'crash') {
          this.onCrash();
          throw new Error('simulated crash');
        }
        return fail(armed.kind === 'done' ? 'timeout' : 'unavailable', 'flaky');
      };
    }
    return wrapped;
  };
}

/**
 * A sell order taken by a bonded buyer, driven to a dispute held by the node key (apply_to take:
 * only the buyer has a bond). Returns the order id and the solver.
 */
export async function disputedBondedTrade(
  h: Harness,
  seller: User,
  buyer: User,
): Promise<{ id: string; solver: User }> {
  const id = await h.newOrder(seller, { kind: 'sell' });
  assert.equal(await h.send(buyer, 'take-sell', { id }), 'handled');
  await payBond(h, buyer);
  const invoice = h.buyerInvoice('buyer-payout', AMOUNT - FEE);
  assert.equal(
    await h.send(buyer, 'add-invoice', { id, payload: { payment_request: [null, invoice, null] } }),
    'handled',
  );
  await h.sellerPays(seller);
  assert.equal(await h.send(buyer, 'dispute', { id }), 'handled');
  const dispute = getDisputeByOrder(h.db, id);
  assert.ok(dispute);
  const solver = nodeSolver(h);
  assert.equal(await h.send(solver, 'admin-take-dispute', { id: dispute.id }), 'handled');
  return { id, solver };
}
