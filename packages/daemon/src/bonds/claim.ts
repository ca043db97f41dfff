// The payout of a slashed bond's share to the wronged party (protocol.md §5.12): the winner answers
// `add-bond-invoice` with an invoice within the claim window; the node pays it through the same
// discipline as the buyer's payout (escrow/payout.ts): the payment hash is persisted before paying,
// an unknown outcome stays `in_flight` and is only ever asked about by hash, never re-sent, and a
// new invoice is accepted only after the previous payment is known to have failed. Unclaimed shares
// stay with the node.
import { routingFeeCap } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { escrowOf } from '../app/escrow.ts';
import { type BondRow, getBond, updateBond } from '../db/bonds.ts';
import { transaction } from '../db/open.ts';
import { getOrder } from '../db/orders.ts';
import type { Payment } from '../lightning/backend.ts';
import { journalBond } from './hold.ts';
import { askForClaimInvoice, bondOrder, tellClaimant } from './notify.ts';
import { claimDeadline } from './policy.ts';

const PAY_TIMEOUT_SECONDS = 60;

export const claimLockKey = (bondId: string): string => `bond-claim:${bondId}`;

/** Why this invoice cannot pay the share, or null. */
export async function claimInvoiceProblem(ctx: AppContext, bond: BondRow, invoice: string): Promise<string | null> {
  const d = await ctx.lightning.decodeInvoice(invoice);
  if (!d.ok) return d.error.message;
  const networks = await escrowOf(ctx).networks();
  if (networks.length > 0 && !networks.includes(d.value.network)) return `invoice is for ${d.value.network}`;
  if (d.value.amountMsat !== null && d.value.amountMsat !== BigInt(bond.payout_sats) * 1000n) {
    return `invoice amount must be ${bond.payout_sats} sats`;
  }
  if (d.value.createdAt + d.value.expirySeconds <= ctx.clock.now()) return 'invoice expired';
  return null;
}

export const claimOpen = (ctx: AppContext, bond: BondRow): boolean =>
  bond.state === 'slashed' &&
  bond.payout_recipient !== null &&
  ctx.clock.now() <= claimDeadline(ctx.settings, bond.closed_at ?? 0);

/** Stores the winner's invoice (fresh attempts) if no payment is under way or done. */
export function storeClaimInvoice(ctx: AppContext, bond: BondRow, invoice: string): BondRow {
  const b = updateBond(ctx.db, bond, { payout_invoice: invoice, payout_state: 'none', payout_attempts: 0 }, [
    'slashed',
  ]);
  journalBond(ctx, b, 'bond.payout.invoice', {});
  return b;
}

/**
 * While the claim window is open and the winner has sent no usable invoice, `add-bond-invoice` is
 * sent again every `payout_invoice_window_seconds` (a message may be missed; the reference asks on
 * the same cadence).
 */
export function askAgainIfDue(ctx: AppContext, bond: BondRow): void {
  const waitingForInvoice =
    !bond.payout_invoice ||
    (bond.payout_state === 'failed' && bond.payout_attempts >= ctx.settings.anti_abuse_bond.payout_max_retries);
  if (!claimOpen(ctx, bond) || !waitingForInvoice) return;
  const every = ctx.settings.anti_abuse_bond.payout_invoice_window_seconds;
  if ((bond.payout_asked_at ?? 0) + every > ctx.clock.now()) return;
  const order = getOrder(ctx.db, bond.order_id);
  if (!order) return;
  transaction(ctx.db, () =>
    askForClaimInvoice(ctx, updateBond(ctx.db, bond, { payout_asked_at: ctx.clock.now() }), order),
  );
}

/** Pays (or keeps paying, or checks) a bond's share; safe to call any time. */
export function payClaim(ctx: AppContext, bondId: string): Promise<void> {
  return escrowOf(ctx).lock.run(claimLockKey(bondId), async () => {
    const bond = getBond(ctx.db, bondId);
    if (bond?.state !== 'slashed' || !bond.payout_invoice || bond.payout_state === 'succeeded') return;
    if (bond.payout_state === 'in_flight') return checkClaim(ctx, bond);
    if (bond.payout_attempts >= ctx.settings.anti_abuse_bond.payout_max_retries) return;
    if (ctx.lndSync?.paymentsDeferred()) return;
    const decoded = await ctx.lightning.decodeInvoice(bond.payout_invoice);
    if (!decoded.ok) return claimFailed(ctx, bond, decoded.error.message);
    const inFlight = transaction(ctx.db, () => {
      const b = updateBond(ctx.db, bond, {
        payout_hash: decoded.value.hash,
        payout_state: 'in_flight',
        payout_attempts: bond.payout_attempts + 1,
      });
      journalBond(ctx, b, 'bond.payout.pay', {
        hash: decoded.value.hash,
        amountSats: b.payout_sats,
        attempt: b.payout_attempts,
      });
      return b;
    });
    const r = await ctx.lightning.pay({
      request: bond.payout_invoice,
      amountSats: bond.payout_sats,
      maxFeeSats: routingFeeCap(bond.payout_sats, ctx.settings.mostro.max_routing_fee),
      timeoutSeconds: PAY_TIMEOUT_SECONDS,
    });
    if (r.ok) return claimResult(ctx, inFlight, r.value);
    if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
      journalBond(ctx, inFlight, 'bond.payout.unknown', r.error);
      return;
    }
    return claimFailed(ctx, inFlight, r.error.message);
  });
}

async function checkClaim(ctx: AppContext, bond: BondRow): Promise<void> {
  if (!bond.payout_hash) return;
  const r = await ctx.lightning.getPayment(bond.payout_hash);
  if (r.ok) return claimResult(ctx, bond, r.value);
  if (r.error.code !== 'not_found') return;
  // A reachable backend never saw it: nothing was sent; the next run pays the same invoice again.
  transaction(ctx.db, () => {
    const b = updateBond(ctx.db, bond, {
      payout_state: 'none',
      payout_attempts: Math.max(0, bond.payout_attempts - 1),
    });
    journalBond(ctx, b, 'bond.payout.not-sent', {});
  });
}

function claimResult(ctx: AppContext, bond: BondRow, payment: Payment): void {
  if (payment.state === 'in_flight') return;
  if (payment.state === 'failed') {
    claimFailed(ctx, bond, payment.failure ?? 'payment failed');
    return;
  }
  transaction(ctx.db, () => {
    const b = updateBond(ctx.db, bond, { payout_state: 'succeeded', payout_sent_at: ctx.clock.now() });
    journalBond(ctx, b, 'bond.payout.succeeded', { hash: payment.hash, feeSats: payment.feeSats });
    const order = getOrder(ctx.db, b.order_id);
    if (order) tellClaimant(ctx, b, 'bond-payout-completed', { payload: { order: bondOrder(order, b.payout_sats) } });
  });
}

function claimFailed(ctx: AppContext, bond: BondRow, why: string): void {
  transaction(ctx.db, () => {
    const b = updateBond(ctx.db, bond, { payout_state: 'failed' });
    journalBond(ctx, b, 'bond.payout.failed', { why, attempt: b.payout_attempts });
    // Out of attempts with this invoice: the winner is asked for another while the window is open.
    const order = getOrder(ctx.db, b.order_id);
    if (order && b.payout_attempts >= ctx.settings.anti_abuse_bond.payout_max_retries && claimOpen(ctx, b)) {
      askForClaimInvoice(ctx, updateBond(ctx.db, b, { payout_asked_at: ctx.clock.now() }), order);
    }
  });
}
