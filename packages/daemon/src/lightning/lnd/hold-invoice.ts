// An LND invoice (as the `lightning` package returns it) seen as a hold invoice.
import type { HoldInvoice, HoldInvoiceState } from '../backend.ts';

export interface LndInvoiceView {
  id: string;
  request?: string;
  tokens: number;
  is_confirmed: boolean;
  is_canceled?: boolean;
  is_held?: boolean;
  expires_at: string;
  payments: { is_held: boolean; timeout: number }[];
}

export function holdInvoiceState(invoice: LndInvoiceView): HoldInvoiceState {
  if (invoice.is_confirmed) return 'settled';
  if (invoice.is_canceled) return 'canceled';
  if (invoice.is_held) return 'accepted';
  return 'open';
}

export function toHoldInvoice(invoice: LndInvoiceView): HoldInvoice {
  const state = holdInvoiceState(invoice);
  // The earliest expiry among the held HTLCs is the one that binds: past it LND cancels them all.
  const held = invoice.payments.filter((p) => p.is_held).map((p) => p.timeout);
  return {
    hash: invoice.id,
    request: invoice.request ?? '',
    amountSats: invoice.tokens,
    state,
    htlcExpiryHeight: state === 'accepted' && held.length > 0 ? Math.min(...held) : null,
    expiresAt: Math.floor(Date.parse(invoice.expires_at) / 1000),
  };
}
