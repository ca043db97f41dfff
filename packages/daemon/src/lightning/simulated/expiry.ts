// What the passing of time does: blocks from the clock, expired open invoices canceled, accepted hold
// invoices canceled near their CLTV expiry (as LND), stuck payments failed back when their HTLC times out.

import { cancelInvoice, failInFlight } from './htlc.ts';
import type { Ledger } from './ledger.ts';
import type { InvoiceRow, PaymentRow } from './rows.ts';
import { BLOCK_INTERVAL_SECONDS } from './types.ts';

/** Brings the network up to the clock; every changed invoice's hash goes into `changed`. */
export function catchUp(ledger: Ledger, changed: Set<string>): void {
  const now = ledger.clock.now();
  const s = ledger.state();
  const blocks = Math.floor((now - Number(s.clock_anchor)) / BLOCK_INTERVAL_SECONDS);
  if (blocks > 0) {
    ledger
      .sql('UPDATE network SET height = height + ?, clock_anchor = clock_anchor + ? WHERE id = 1')
      .run(blocks, blocks * BLOCK_INTERVAL_SECONDS);
  }
  const height = Number(ledger.state().height);
  // An open invoice past its expiry can no longer be paid: LND marks it canceled.
  const expired = ledger
    .sql("SELECT * FROM invoices WHERE state = 'open' AND expires_at <= ?")
    .all(now) as InvoiceRow[];
  for (const inv of expired) {
    ledger.setInvoiceState(inv.hash, 'canceled');
    changed.add(inv.hash);
  }
  // Like LND, cancel an accepted hold invoice holdExpiryDelta blocks before its HTLC would expire.
  const nearExpiry = ledger
    .sql("SELECT * FROM invoices WHERE state = 'accepted' AND htlc_expiry_height - ? <= ?")
    .all(ledger.holdExpiryDelta, height) as InvoiceRow[];
  for (const inv of nearExpiry) {
    cancelInvoice(ledger, inv, 'payment_failed: hold invoice canceled near its CLTV expiry');
    changed.add(inv.hash);
  }
  // A payment stuck in flight fails back when its HTLC times out.
  const timedOut = ledger
    .sql("SELECT * FROM payments WHERE state = 'in_flight' AND stuck = 1 AND htlc_expiry_height <= ?")
    .all(height) as PaymentRow[];
  for (const p of timedOut) failInFlight(ledger, p.wallet, p.hash, 'timeout: HTLC timed out in flight');
}
