// Follows bond hold invoices through the backend's subscriptions, so a payment is acted on at once;
// the bond job (jobs.ts) polls the same states, so a missed notification only costs time.
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { type BondRow, getBondByHash } from '../db/bonds.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { onBondLocked, onBondUnpaid } from './lock.ts';
import { bondLockKey } from './lock-key.ts';

const watches = new WeakMap<AppContext, Map<string, () => void>>();

export function watchBond(ctx: AppContext, bond: BondRow): void {
  let mine = watches.get(ctx);
  if (!mine) {
    mine = new Map();
    watches.set(ctx, mine);
  }
  if (mine.has(bond.hash)) return;
  const stop = ctx.lightning.subscribeHoldInvoice(bond.hash, (invoice) => {
    if (invoice.state === 'settled' || invoice.state === 'canceled') {
      mine.get(bond.hash)?.();
      mine.delete(bond.hash);
    }
    void onBondInvoice(ctx, invoice).catch((error) => ctx.log.error('bond: invoice update failed', error));
  });
  mine.set(bond.hash, stop);
}

/** Stops every subscription of this context (shutdown, a test's crash). */
export function stopBondWatches(ctx: AppContext): void {
  const mine = watches.get(ctx);
  if (!mine) return;
  for (const stop of mine.values()) stop();
  mine.clear();
}

/** Acts on a bond invoice's state (from a subscription, a poll or reconciliation). */
export function onBondInvoice(ctx: AppContext, invoice: HoldInvoice): Promise<void> {
  if (!ctx.db.open) return Promise.resolve();
  const bond = getBondByHash(ctx.db, invoice.hash);
  if (!bond) return Promise.resolve();
  return escrowOf(ctx).lock.run(bondLockKey(bond.order_id), async () => {
    if (invoice.state === 'accepted') return onBondLocked(ctx, bond, invoice);
    if (invoice.state === 'canceled') return onBondUnpaid(ctx, bond, 'invoice canceled by the backend');
  });
}
