// The dev-fee payment (reference-0.20.md §4.10, protocol.md §5.6): once an order's hold invoice is
// settled the node owes the development fund `dev_fee` sats out of its own fee. Per order and run:
// claim (persisted, so two runs never pay the same order) → if a hash is already recorded, ask
// Lightning about it (a crash or an unknown outcome is resolved by hash, never by paying again) →
// resolve an invoice from the destination → persist its hash and invoice → pay → on success mark it
// paid and queue the kind-8383 audit event in the same transaction. Failures back off per order.
import { randomUUID } from 'node:crypto';
import { buildDevFeeEvent, type EventTemplate } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { npubEncode } from 'nostr-tools/nip19';
import type { AppContext } from '../app/context.ts';
import {
  claimDevFee,
  type DevFeeRow,
  getDevFee,
  listDueDevFees,
  markDevFeePaid,
  recordDevFeeFailure,
  recordDevFeeInvoice,
  releaseDevFeeClaim,
} from '../db/dev-fees.ts';
import { appendJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import type { LnurlResolver } from '../escrow/lnurl.ts';
import type { DecodedInvoice } from '../lightning/backend.ts';

/** The reference's destination (mostro-0.20.2 `config/constants.rs`), used by default on mainnet only. */
export const REFERENCE_DEV_FEE_ADDRESS = 'dev@pay.mostro.foundation';
/** A claim older than this belongs to a run that died; the order may be claimed again. */
export const CLAIM_STALE_SECONDS = 300;
const PAY_TIMEOUT_SECONDS = 50;
const BACKOFF_FIRST_SECONDS = 60;
const BACKOFF_MAX_SECONDS = 3600;

export interface DevFeeDeps {
  ctx: AppContext;
  /** Lightning address or LNURL to pay; null = dev fees are not paid by this node. */
  destination: string | null;
  resolver: LnurlResolver;
  /** Signs the node's audit event. */
  sign(template: EventTemplate): NostrEvent;
  networks: readonly string[] | null;
  /** [0, 1): the jitter of the backoff (tests fix it). */
  random?: () => number;
}

export type DevFeeOutcome = 'paid' | 'in_flight' | 'failed' | 'busy';

/**
 * Where dev fees go: the configured destination (empty = nowhere), else the reference's address
 * when the Lightning backend is on mainnet, else nowhere (as the reference, which pays on mainnet
 * only).
 */
export function devFeeDestination(configured: string | undefined, networks: readonly string[] | null): string | null {
  if (configured !== undefined) return configured.trim() === '' ? null : configured.trim();
  const mainnet = (networks ?? []).some((n) => n === 'mainnet' || n === 'bitcoin');
  return mainnet ? REFERENCE_DEV_FEE_ADDRESS : null;
}

/** 60 s doubling per failed attempt up to an hour, plus up to 25 % jitter. */
export function devFeeBackoffSeconds(failedAttempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(base * (1 + 0.25 * random()));
}

/** The routing fee the node accepts for a dev-fee payment: the buyer payout's rate, at least 10 sats. */
export const devFeeRoutingCap = (amountSats: number, maxRoutingFee: number): number =>
  Math.max(10, Math.ceil(amountSats * maxRoutingFee));

/** One cycle over every due order; returns each touched order's outcome. Skipped while payouts wait. */
export async function payDevFees(deps: DevFeeDeps): Promise<Map<string, DevFeeOutcome>> {
  const { ctx } = deps;
  const outcomes = new Map<string, DevFeeOutcome>();
  if (deps.destination === null) return outcomes;
  // LND unsynced or unreachable: no outgoing payment is attempted (reference-0.20.md §4.2).
  if (ctx.lndSync?.paymentsDeferred()) return outcomes;
  const now = ctx.clock.now();
  for (const row of listDueDevFees(ctx.db, now, now - CLAIM_STALE_SECONDS)) {
    try {
      outcomes.set(row.id, await payOne(deps, row));
    } catch (error) {
      ctx.log.warn(`dev fee: order ${row.id} left for the next run`, error);
      releaseDevFeeClaim(ctx.db, row.id);
    }
  }
  return outcomes;
}

async function payOne(deps: DevFeeDeps, row: DevFeeRow): Promise<DevFeeOutcome> {
  const { ctx } = deps;
  const now = ctx.clock.now();
  const claim = `PENDING-${randomUUID()}-${now}`;
  if (!claimDevFee(ctx.db, row.id, claim, now, now - CLAIM_STALE_SECONDS)) return 'busy';
  const journal = (step: string, detail: unknown) => appendJournal(ctx.db, row.id, step, detail, ctx.clock.now());

  if (row.dev_fee_payment_hash !== null) {
    const known = await ctx.lightning.getPayment(row.dev_fee_payment_hash);
    if (known.ok && known.value.state === 'succeeded') return paid(deps, row, row.dev_fee_payment_hash);
    if (known.ok && known.value.state === 'in_flight') return inFlight(deps, row.id);
    if (known.ok && known.value.state === 'failed') {
      journal('dev_fee.failed', { hash: row.dev_fee_payment_hash, failure: known.value.failure });
      return failed(deps, row, true);
    }
    if (!known.ok && known.error.code !== 'not_found') return inFlight(deps, row.id);
    // Lightning never saw it (the process died between persisting the hash and paying): the same
    // invoice is paid now; Lightning refuses a second payment of one hash, so this cannot double.
    if (row.dev_fee_payment_request === null) return failed(deps, row, true);
    return sendPayment(deps, row, row.dev_fee_payment_hash, row.dev_fee_payment_request);
  }

  const destination = deps.destination as string;
  // LUD-12 comment, as the reference: which order and which node the payment is for.
  const comment = `mostro-dev-fee order=${row.id} node=${npubEncode(ctx.nodePubkey)}`;
  const invoice = await deps.resolver.invoice(destination, row.dev_fee, comment);
  if (!invoice.ok) {
    journal('dev_fee.resolve.failed', { destination, reason: invoice.reason });
    return failed(deps, row, false);
  }
  const decoded = await ctx.lightning.decodeInvoice(invoice.value);
  const problem = decoded.ok
    ? invoiceProblem(decoded.value, row.dev_fee, now, deps.networks, ctx.settings.lightning.max_final_cltv_expiry_delta)
    : decoded.error.message;
  if (problem !== null || !decoded.ok) {
    journal('dev_fee.invalid', { destination, reason: problem });
    return failed(deps, row, false);
  }
  const hash = decoded.value.hash;
  const recorded = transaction(ctx.db, () => {
    if (!recordDevFeeInvoice(ctx.db, row.id, claim, hash, invoice.value)) return false;
    journal('dev_fee.pay', { hash, destination, amountSats: row.dev_fee });
    return true;
  });
  if (!recorded) return 'busy';
  return sendPayment(deps, row, hash, invoice.value);
}

/** Why the destination's invoice must not be paid (the reference's checks: chain, amount, expiry, CLTV). */
function invoiceProblem(
  invoice: DecodedInvoice,
  amountSats: number,
  now: number,
  networks: readonly string[] | null,
  maxFinalCltv: number,
): string | null {
  const known = networks?.filter((n) => n !== 'unknown') ?? [];
  if (known.length > 0 && !known.includes(invoice.network)) {
    return `invoice for ${invoice.network}, the node is on ${known.join(',')}`;
  }
  if (invoice.amountMsat !== BigInt(amountSats) * 1000n) return 'invoice amount differs from the dev fee';
  if (invoice.createdAt + invoice.expirySeconds <= now) return 'invoice already expired';
  if (invoice.minFinalCltvExpiry > maxFinalCltv) return 'invoice final CLTV delta above max_final_cltv_expiry_delta';
  return null;
}

async function sendPayment(deps: DevFeeDeps, row: DevFeeRow, hash: string, request: string): Promise<DevFeeOutcome> {
  const { ctx } = deps;
  const r = await ctx.lightning.pay({
    request,
    amountSats: row.dev_fee,
    maxFeeSats: devFeeRoutingCap(row.dev_fee, ctx.settings.mostro.max_routing_fee),
    timeoutSeconds: PAY_TIMEOUT_SECONDS,
  });
  if (r.ok && r.value.state === 'succeeded') return paid(deps, row, hash);
  if (r.ok && r.value.state === 'failed') {
    appendJournal(ctx.db, row.id, 'dev_fee.failed', { hash, failure: r.value.failure }, ctx.clock.now());
    return failed(deps, row, true);
  }
  if (r.ok) return inFlight(deps, row.id); // still under way: the next run asks by hash
  if (r.error.code === 'unavailable' || r.error.code === 'timeout') {
    // Unknown outcome: the hash stays, the next run (after the backoff) asks Lightning about it.
    appendJournal(ctx.db, row.id, 'dev_fee.unknown', r.error, ctx.clock.now());
    return failed(deps, row, false);
  }
  appendJournal(ctx.db, row.id, 'dev_fee.failed', { hash, failure: r.error }, ctx.clock.now());
  return failed(deps, row, true);
}

function paid(deps: DevFeeDeps, row: DevFeeRow, hash: string): DevFeeOutcome {
  const { ctx } = deps;
  const now = ctx.clock.now();
  const event = deps.sign(
    buildDevFeeEvent({
      orderId: row.id,
      amount: row.dev_fee,
      paymentHash: hash,
      destination: deps.destination as string,
      networks: deps.networks,
      instanceName: ctx.settings.mostro.name ?? null,
      now,
      feeAuditDays: ctx.settings.expiration.fee_audit_days,
    }),
  );
  // The mark and its audit event are one commit: a paid fee always gets its 8383, exactly once.
  transaction(ctx.db, () => {
    if (!markDevFeePaid(ctx.db, row.id, now)) return;
    appendJournal(ctx.db, row.id, 'dev_fee.paid', { hash, amountSats: row.dev_fee }, now);
    ctx.outbox.event(event);
  });
  ctx.log.info(`dev fee: ${row.dev_fee} sats paid for order ${row.id.slice(0, 8)}`);
  return 'paid';
}

function inFlight(deps: DevFeeDeps, orderId: string): DevFeeOutcome {
  releaseDevFeeClaim(deps.ctx.db, orderId);
  return 'in_flight';
}

/** `clearHash`: Lightning said the payment failed for good, so the next attempt fetches a new invoice. */
function failed(deps: DevFeeDeps, row: DevFeeRow, clearHash: boolean): DevFeeOutcome {
  const { ctx } = deps;
  const attempts = (getDevFee(ctx.db, row.id)?.dev_fee_failed_attempts ?? row.dev_fee_failed_attempts) + 1;
  const next = ctx.clock.now() + devFeeBackoffSeconds(attempts, deps.random);
  recordDevFeeFailure(ctx.db, row.id, next, clearHash);
  ctx.log.warn(
    `dev fee: order ${row.id.slice(0, 8)} not paid (attempt ${attempts}), next try in ${next - ctx.clock.now()} s`,
  );
  return 'failed';
}
