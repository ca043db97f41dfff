// Bond tests on the handler-level harness (test/app/harness.ts): a node with `[anti_abuse_bond]`
// on, wallets that pay bond invoices, and the bond job run by hand on the hand-moved clock.
import assert from 'node:assert/strict';
import type { SmallOrder } from '@mostro/protocol';
import { runBondJobs } from '../../src/bonds/jobs.ts';
import { type BondRow, listBondsOfOrder } from '../../src/db/bonds.ts';
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
