// The escrow: hold invoices, settlement, buyer payouts, reconciliation, invoice checks.
export { EscrowError, type EscrowOptions, HELD_STATUSES, LightningEscrow, REFUND_STATUSES } from './escrow.ts';
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
export type {
  Escrow,
  EscrowContext,
  EscrowDeps,
  EscrowLog,
  EscrowPublisher,
  PartyMessage,
  PartyNotifier,
} from './ports.ts';
export { type ProbeVerdict, probePayout } from './probe.ts';
export { type ReconcileReport, reconcileEscrow } from './reconcile.ts';
