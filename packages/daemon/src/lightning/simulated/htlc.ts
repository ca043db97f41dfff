// Money moving along an HTLC: delivered to the payee, settled (payee credited, fee collected),
// failed back (payer refunded), or recorded as failed before anything moved.
import type { Ledger } from './ledger.ts';
import type { InvoiceRow } from './rows.ts';
import type { SimErrorCode } from './types.ts';

/** The HTLC reaches the payee: a regular invoice is paid at once, a hold invoice is accepted. */
export function deliver(
  ledger: Ledger,
  invoice: InvoiceRow,
  payer: string,
  amountMsat: bigint,
  changed: Set<string>,
): void {
  const now = ledger.clock.now();
  const height = Number(ledger.state().height);
  if (invoice.kind === 'regular') {
    ledger
      .sql("UPDATE invoices SET state = 'settled', payer = ?, received_msat = ?, updated_at = ? WHERE hash = ?")
      .run(payer, amountMsat, now, invoice.hash);
    complete(ledger, { ...invoice, state: 'accepted', payer, received_msat: amountMsat }, invoice.preimage!);
  } else {
    const expiry = height + Number(invoice.cltv_delta);
    ledger
      .sql(
        `UPDATE invoices SET state = 'accepted', payer = ?, received_msat = ?, htlc_expiry_height = ?,
           updated_at = ? WHERE hash = ?`,
      )
      .run(payer, amountMsat, expiry, now, invoice.hash);
    ledger
      .sql('UPDATE payments SET htlc_expiry_height = ?, updated_at = ? WHERE wallet = ? AND hash = ?')
      .run(expiry, now, payer, invoice.hash);
  }
  changed.add(invoice.hash);
}

/** Settles: payee credited, routing fee collected, payer's payment succeeded with the preimage. */
export function complete(ledger: Ledger, invoice: InvoiceRow, preimage: string): void {
  const now = ledger.clock.now();
  const payment = ledger.payment(invoice.payer!, invoice.hash)!;
  ledger
    .sql("UPDATE invoices SET state = 'settled', preimage = ?, updated_at = ? WHERE hash = ?")
    .run(preimage, now, invoice.hash);
  ledger
    .sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?')
    .run(payment.amount_msat, invoice.wallet);
  ledger.sql('UPDATE network SET fees_msat = fees_msat + ? WHERE id = 1').run(payment.fee_msat);
  ledger
    .sql("UPDATE payments SET state = 'succeeded', preimage = ?, updated_at = ? WHERE wallet = ? AND hash = ?")
    .run(preimage, now, payment.wallet, payment.hash);
}

export function cancelInvoice(ledger: Ledger, invoice: InvoiceRow, reason: string): void {
  if (invoice.state === 'accepted' && invoice.payer) failInFlight(ledger, invoice.payer, invoice.hash, reason);
  ledger.setInvoiceState(invoice.hash, 'canceled');
}

/** Fails an in-flight payment back: the payer gets amount and fee back. */
export function failInFlight(ledger: Ledger, wallet: string, hash: string, failure: string): void {
  const p = ledger.payment(wallet, hash);
  if (p?.state !== 'in_flight') return;
  ledger
    .sql('UPDATE wallets SET balance_msat = balance_msat + ? WHERE name = ?')
    .run(p.amount_msat + p.fee_msat, wallet);
  ledger
    .sql(
      "UPDATE payments SET state = 'failed', failure = ?, fee_msat = 0, stuck = 0, updated_at = ? WHERE wallet = ? AND hash = ?",
    )
    .run(failure, ledger.clock.now(), wallet, hash);
}

export function recordFailed(
  ledger: Ledger,
  wallet: string,
  hash: string,
  request: string,
  destination: string,
  amountMsat: bigint,
  error: { code: SimErrorCode; message: string },
): void {
  const now = ledger.clock.now();
  ledger
    .sql(
      `INSERT OR REPLACE INTO payments (wallet, hash, request, destination, amount_msat, fee_msat, state, preimage,
         failure, stuck, htlc_expiry_height, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, 'failed', NULL, ?, 0, NULL, ?, ?)`,
    )
    .run(wallet, hash, request, destination, amountMsat, `${error.code}: ${error.message}`, now, now);
}
