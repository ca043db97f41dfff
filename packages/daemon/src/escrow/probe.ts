// Will the buyer's payout go through? Asked when the invoice is added, at fiat-sent and before the
// seller's hold invoice is settled, so an unpayable invoice is replaced while the seller's sats are
// still held instead of after they were taken (the reference only finds out by failing payments).
import type { LightningBackend, LnErrorCode } from '../lightning/backend.ts';
import { isLnurlTarget, type LnurlResolver, stripLightningPrefix } from './lnurl.ts';

export type ProbeVerdict =
  | { verdict: 'payable'; feeSats: number }
  | { verdict: 'unpayable'; reason: string }
  /** The backend could not tell (unreachable, timeout): treated as payable, never as a reason to refuse. */
  | { verdict: 'unknown'; reason: string };

/** Failures that say this invoice will not be paid, as opposed to "could not check". */
const UNPAYABLE: ReadonlySet<LnErrorCode> = new Set([
  'no_route',
  'payee_offline',
  'fee_too_high',
  'expired',
  'invalid_invoice',
]);

export async function probePayout(
  lightning: LightningBackend,
  resolver: LnurlResolver,
  invoice: string,
  amountSats: number,
  maxFeeSats: number,
): Promise<ProbeVerdict> {
  if (isLnurlTarget(invoice)) {
    // No invoice exists yet (one is fetched at payout time); check that the endpoint takes the amount.
    const problem = await resolver.check(invoice, amountSats);
    return problem ? { verdict: 'unpayable', reason: problem } : { verdict: 'unknown', reason: 'lnurl: not probed' };
  }
  const r = await lightning.probeRoute(stripLightningPrefix(invoice), amountSats, maxFeeSats);
  if (r.ok) return { verdict: 'payable', feeSats: r.value.feeSats };
  if (UNPAYABLE.has(r.error.code)) return { verdict: 'unpayable', reason: `${r.error.code}: ${r.error.message}` };
  return { verdict: 'unknown', reason: `${r.error.code}: ${r.error.message}` };
}
