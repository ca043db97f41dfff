import type { EventEmitter } from 'node:events';
import { type AuthenticatedLnd, subscribeToInvoice } from 'lightning';
import type { HoldInvoice } from '../backend.ts';
import { lndError } from './errors.ts';
import { isHash } from './get-hold-invoice.ts';
import { type LndInvoiceView, toHoldInvoice } from './hold-invoice.ts';

const RESUBSCRIBE_MS = 2000;
const isFinal = (invoice: HoldInvoice) => invoice.state === 'settled' || invoice.state === 'canceled';

/**
 * Calls onUpdate on every change of state (or HTLC expiry) of the invoice, starting with its current
 * state, until it is settled or canceled or the returned function is called. A broken stream (LND
 * restart) is re-opened: LND replays the current state, and repeats are not reported. An unknown
 * hash ends the subscription without a call.
 */
export function subscribeHoldInvoice(
  lnd: AuthenticatedLnd,
  hash: string,
  onUpdate: (invoice: HoldInvoice) => void,
): () => void {
  let stopped = !isHash(hash);
  let sub: EventEmitter | null = null;
  let retry: NodeJS.Timeout | null = null;
  let last = '';

  const close = () => {
    sub?.removeAllListeners();
    // A listener stays so a late stream error cannot become an uncaught 'error' event.
    sub?.on('error', () => {});
    sub = null;
  };
  const stop = () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    close();
  };
  const open = () => {
    retry = null;
    if (stopped) return;
    try {
      sub = subscribeToInvoice({ lnd, id: hash.toLowerCase() });
    } catch {
      retry = setTimeout(open, RESUBSCRIBE_MS);
      return;
    }
    sub.on('invoice_updated', (raw: LndInvoiceView) => {
      const invoice = toHoldInvoice(raw);
      const key = `${invoice.state}:${invoice.htlcExpiryHeight}`;
      if (stopped || key === last) return;
      last = key;
      if (isFinal(invoice)) stop();
      try {
        onUpdate(invoice);
      } catch {
        // The caller's failure is the caller's; the subscription goes on.
      }
    });
    sub.on('error', (err: unknown) => {
      close();
      // No such invoice: nothing will ever change. Anything else (LND restarting): try again.
      if (lndError('subscribeHoldInvoice', err).code === 'not_found') stop();
      if (!stopped) retry = setTimeout(open, RESUBSCRIBE_MS);
    });
  };
  open();
  return stop;
}
