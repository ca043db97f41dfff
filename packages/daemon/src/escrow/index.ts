// The escrow: hold invoices, settlement, buyer payouts, reconciliation, invoice checks.
export {
  createEscrow,
  EscrowError,
  type EscrowOptions,
  escrowOf,
  HELD_STATUSES,
  LightningEscrow,
  REFUND_STATUSES,
} from './escrow.ts';
export { checkEscrowInvariant, type InvariantViolation } from './invariant.ts';
export { checkBuyerInvoice, type InvoiceCheckDeps } from './invoice.ts';
export {
  createHttpLnurlResolver,
  type HttpLnurlOptions,
  isLnurlTarget,
  type LnurlResolver,
  lnurlEndpoint,
} from './lnurl.ts';
export { holdInvoiceMemo } from './memo.ts';
export { type ProbeVerdict, probePayout } from './probe.ts';
export { type ReconcileReport, reconcileEscrow } from './reconcile.ts';
