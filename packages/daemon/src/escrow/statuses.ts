// The order statuses the escrow sorts hold invoices by.

/** Statuses in which the seller's sats are locked in an accepted hold invoice, before any release. */
export const HELD_STATUSES = ['active', 'fiat-sent', 'dispute'] as const;
/** Statuses of an order that no longer wants its hold invoice: any open or accepted hold is refunded. */
export const REFUND_STATUSES = [
  'canceled',
  'cooperatively-canceled',
  'canceled-by-admin',
  'expired',
  'pending',
] as const;
