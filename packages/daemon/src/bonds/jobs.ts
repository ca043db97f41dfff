// The bond job (every 10 s) and start-up reconciliation: every bond that is not final is compared
// with the backend and moved on — a payment the subscription missed, an unpaid bond past its
// deadline, a bond its order no longer needs (released: the trade ended or the take was undone), a
// release or slash whose Lightning call failed (retried), a share payout in flight (asked by hash).
// Everything here is idempotent: a decision persisted before a crash is carried out, never doubled.
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import {
  type BondRow,
  getBond,
  LIVE_BOND_STATES,
  listBondsByState,
  listUnpaidClaims,
  updateBond,
} from '../db/bonds.ts';
import { transaction } from '../db/open.ts';
import { getOrder, type OrderRow, TERMINAL_ORDER_STATUSES } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { setOrder } from '../orders/update.ts';
import { askAgainIfDue, payClaim } from './claim.ts';
import { carryOutSlash, journalBond, releaseBond } from './hold.ts';
import { clampedExpiry, onBondLocked, onBondUnpaid, resumeLockedBond } from './lock.ts';
import { bondLockKey } from './lock-key.ts';
import { watchBond } from './watch.ts';

export async function runBondJobs(ctx: AppContext, options: { startup?: boolean } = {}): Promise<void> {
  for (const bond of listBondsByState(ctx.db, LIVE_BOND_STATES)) {
    // A bond being created right now is its handler's; only a crash leaves one for us (start-up).
    if (bond.state === 'creating' && !options.startup) continue;
    try {
      await escrowOf(ctx).lock.run(bondLockKey(bond.order_id), () => moveOn(ctx, bond.id));
    } catch (error) {
      ctx.log.warn(`bond ${bond.id} of order ${bond.order_id} left for the next run`, error);
    }
  }
  for (const claim of listUnpaidClaims(ctx.db)) {
    // 'none' with an invoice: stored, but the payment its handler started never ran (a crash, an
    // error); payClaim pays it, checks an in-flight one by hash, or leaves it.
    if (claim.payout_invoice && claim.payout_state !== 'succeeded') {
      await payClaim(ctx, claim.id).catch((error) =>
        ctx.log.warn(`bond payout ${claim.id} left for the next run`, error),
      );
    }
    const fresh = getBond(ctx.db, claim.id);
    if (fresh) askAgainIfDue(ctx, fresh);
  }
}

/** Start-up: the same pass, before the node accepts messages, and the live invoices watched again. */
export async function reconcileBonds(ctx: AppContext): Promise<void> {
  await runBondJobs(ctx, { startup: true });
  for (const bond of listBondsByState(ctx.db, ['requested'])) watchBond(ctx, bond);
}

async function moveOn(ctx: AppContext, bondId: string): Promise<void> {
  const bond = getBond(ctx.db, bondId);
  if (!bond) return;
  if (bond.state === 'releasing') return void (await releaseBond(ctx, bond, 'retry'));
  if (bond.state === 'slashing') return void (await carryOutSlash(ctx, bond));
  const r = await ctx.lightning.getHoldInvoice(bond.hash);
  if (!r.ok && r.error.code !== 'not_found') return; // unreachable: next run
  const invoice = r.ok ? r.value : null;
  const order = getOrder(ctx.db, bond.order_id);

  if (bond.state === 'creating' || bond.state === 'requested') {
    if (invoice?.state === 'accepted') return onBondLocked(ctx, bond, invoice);
    // Never created (a crash before the call), canceled, or past its deadline: nothing is locked.
    if (!invoice || invoice.state === 'canceled' || pastDeadline(ctx, bond, order)) {
      return onBondUnpaid(ctx, bond, invoice ? 'unpaid in time' : 'never created');
    }
    if (bond.state === 'creating') {
      // Created but the node stopped before recording it; the party was never told. Withdraw it.
      return onBondUnpaid(ctx, bond, 'creation not recorded');
    }
    return;
  }
  if (bond.state === 'locked') {
    if (!invoice || invoice.state === 'canceled') {
      // The HTLC is gone (it expired or was canceled outside the node): the party has its sats back.
      transaction(ctx.db, () => {
        const b = updateBond(ctx.db, bond, { state: 'released', closed_at: ctx.clock.now() }, ['locked']);
        journalBond(ctx, b, 'bond.gone', { backend: invoice?.state ?? 'not_found' });
      });
      return;
    }
    if (notNeeded(bond, order)) return void (await releaseBond(ctx, bond, `order ${order?.status ?? 'gone'}`));
    if (invoice.state === 'accepted') await resumeLockedBond(ctx, bond, invoice);
    if (bond.role === 'maker' && order?.status === 'pending') await guardMakerBondDeadline(ctx, order, invoice);
  }
}

/**
 * reference-0.20.md §4.9: a pending maker-bonded order must not outlive its bond's HTLC (minus room
 * for a trade's hold invoice); as the chain tip nears it, the order's expiry is pulled in, so the
 * pending expiry ends it (and the bond is released) before LND would cancel the bond on its own.
 */
async function guardMakerBondDeadline(ctx: AppContext, order: OrderRow, invoice: HoldInvoice): Promise<void> {
  const expiresAt = await clampedExpiry(ctx, order, invoice);
  if (expiresAt >= order.expires_at) return;
  setOrder(ctx, order, { expires_at: expiresAt }, 'pending');
  ctx.log.info(`bond: order ${order.id} expires early, its maker bond's HTLC nears expiry`);
}

function pastDeadline(ctx: AppContext, bond: BondRow, order: OrderRow | undefined): boolean {
  const now = ctx.clock.now();
  if (bond.role === 'maker') {
    const timeout = ctx.settings.anti_abuse_bond.maker_bond_payment_timeout_seconds;
    return (
      bond.created_at + timeout < now || !order || order.expires_at <= now || order.status !== 'waiting-maker-bond'
    );
  }
  const expiry = ctx.settings.lightning.hold_invoice_expiration_window;
  return bond.created_at + expiry < now || !order || order.status !== 'waiting-taker-bond';
}

/** A locked bond that guards nothing any more: its order ended, or the take it paid for was undone. */
function notNeeded(bond: BondRow, order: OrderRow | undefined): boolean {
  if (!order || TERMINAL_ORDER_STATUSES.includes(order.status)) return true;
  if (bond.role === 'maker') return false;
  if (order.status === 'waiting-taker-bond') return false; // its take is being carried out
  const taker = order.kind === 'sell' ? order.buyer_pubkey : order.seller_pubkey;
  return taker !== bond.pubkey;
}
