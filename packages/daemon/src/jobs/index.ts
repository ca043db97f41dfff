// The escrow's periodic jobs, for the node's scheduler: name, interval, function of the context.
import type { AppContext } from '../app/context.ts';
import { runBondJobs } from '../bonds/jobs.ts';
import { guardEscrowDeadlines } from './cltv-guardian.ts';
import { watchHoldInvoices } from './hold-watch.ts';
import { retryPayouts } from './payout-retries.ts';
import { expirePendingOrders } from './pending-expiry.ts';
import { expireWaitingOrders } from './waiting-timeouts.ts';

export { guardEscrowDeadlines } from './cltv-guardian.ts';
export { watchHoldInvoices } from './hold-watch.ts';
export { retryPayouts } from './payout-retries.ts';
export { expirePendingOrders } from './pending-expiry.ts';
export { expireWaitingOrders, takerAtFault } from './waiting-timeouts.ts';

export interface EscrowJob {
  name: string;
  intervalSeconds(settings: AppContext['settings']): number;
  run(ctx: AppContext): Promise<unknown>;
}

export const ESCROW_JOBS: readonly EscrowJob[] = [
  { name: 'expire-pending-orders', intervalSeconds: () => 60, run: expirePendingOrders },
  // Often enough that a take ends within seconds of its unpaid hold invoice's expiry.
  { name: 'expire-waiting-orders', intervalSeconds: () => 10, run: expireWaitingOrders },
  { name: 'watch-hold-invoices', intervalSeconds: () => 30, run: watchHoldInvoices },
  { name: 'escrow-cltv-guardian', intervalSeconds: () => 60, run: guardEscrowDeadlines },
  {
    name: 'retry-payouts',
    intervalSeconds: (s) => Math.max(1, Math.min(60, s.lightning.payment_retries_interval)),
    run: retryPayouts,
  },
  // Anti-abuse bonds: payments missed, deadlines, releases, slashes and share payouts (bonds/jobs.ts).
  { name: 'anti-abuse-bonds', intervalSeconds: () => 10, run: runBondJobs },
];
