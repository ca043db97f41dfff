// Whether a payment can go through, and at what fee: the checks a real node meets, in its order, and
// the injected failure rules.
import { decodeInvoice } from './bolt11.ts';
import type { Ledger } from './ledger.ts';
import { fail, isWholeNumber, ok } from './limits.ts';
import type { InvoiceRow } from './rows.ts';
import { type FailureKind, MAX_AMOUNT_SATS, type PayRequest, type SimErrorCode, type SimResult } from './types.ts';

/**
 * Everything a payment needs checked before money moves, in the order a real node meets it:
 * the request, the route (injected failures, unknown node), the payee's invoice, the fee, the balance.
 */
export function checkRoute(
  ledger: Ledger,
  wallet: string,
  args: PayRequest,
  probing: boolean,
): SimResult<{ invoice: InvoiceRow; amountMsat: bigint; feeMsat: bigint; stuck: boolean }> {
  const decoded = decodeInvoice(args.request);
  if (!decoded.ok) return decoded;
  const d = decoded.value;
  if (d.network !== 'regtest') return fail('invalid_invoice', `invoice is for ${d.network}, this network is regtest`);
  if (!isWholeNumber(args.maxFeeSats, 0, MAX_AMOUNT_SATS)) return fail('invalid_argument', 'bad max fee');
  let amountMsat: bigint;
  if (d.amountMsat === null) {
    if (args.amountSats === undefined) return fail('invalid_invoice', 'amountless invoice: give an amount');
    if (!isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS)) return fail('invalid_argument', 'bad amount');
    amountMsat = BigInt(args.amountSats) * 1000n;
  } else {
    amountMsat = d.amountMsat;
    if (args.amountSats !== undefined && BigInt(args.amountSats) * 1000n !== amountMsat) {
      return fail('invalid_invoice', 'amount does not match the invoice');
    }
  }
  const now = ledger.clock.now();
  if (amountMsat > BigInt(MAX_AMOUNT_SATS) * 1000n) return fail('invalid_invoice', 'amount exceeds all bitcoin');
  if (d.createdAt + d.expirySeconds <= now) return fail('expired', 'invoice expired');
  const failure = matchFailure(ledger, d.hash, d.destination, !probing);
  if (failure === 'no_route') return fail('no_route', 'no route to the destination (injected)');
  if (failure === 'payee_offline') return fail('payee_offline', 'the payee is offline (injected)');
  if (failure === 'fee_too_high') return fail('fee_too_high', 'every route costs more than the fee limit (injected)');
  if (failure === 'stuck' && probing) return fail('timeout', 'the probe got no answer (injected stuck route)');
  const payee = ledger.sql('SELECT name FROM wallets WHERE pubkey = ?').get(d.destination) as
    | { name: string }
    | undefined;
  if (!payee) return fail('no_route', 'no route to the destination: not a node of the simulated network');
  if (payee.name === wallet) return fail('payment_failed', 'a wallet cannot pay its own invoice');
  const invoice = ledger.invoice(d.hash);
  if (!invoice || invoice.wallet !== payee.name) return fail('payment_failed', 'incorrect or unknown payment details');
  const refusal = payeeRefusal(invoice, amountMsat, now);
  if (refusal) {
    const [code, ...message] = refusal.split(': ');
    return fail(code as SimErrorCode, message.join(': '));
  }
  const feeMsat = fee(ledger, amountMsat);
  if (feeMsat > BigInt(args.maxFeeSats) * 1000n) {
    return fail('fee_too_high', `routing fee ${feeMsat / 1000n} sats exceeds the limit of ${args.maxFeeSats}`);
  }
  const payer = ledger.sql('SELECT balance_msat FROM wallets WHERE name = ?').get(wallet) as
    | { balance_msat: bigint }
    | undefined;
  if ((payer?.balance_msat ?? 0n) < amountMsat + feeMsat) {
    return fail('payment_failed', 'insufficient balance (simulated sats: use the faucet)');
  }
  return ok({ invoice, amountMsat, feeMsat, stuck: failure === 'stuck' });
}

/** Why the payee would refuse this HTLC now ("code: message"), or null when it accepts it. */
export function payeeRefusal(invoice: InvoiceRow, amountMsat: bigint, now: number): string | null {
  if (invoice.state === 'canceled') return 'payment_failed: invoice canceled';
  if (invoice.state !== 'open') return 'payment_failed: invoice already paid';
  if (Number(invoice.expires_at) <= now) return 'expired: invoice expired';
  if (invoice.amount_msat !== null && amountMsat < invoice.amount_msat) return 'payment_failed: amount too low';
  return null;
}

/** The first matching rule (hash before destination); consumes one use when `consume`. */
export function matchFailure(ledger: Ledger, hash: string, destination: string, consume: boolean): FailureKind | null {
  const rule = ledger
    .sql(
      `SELECT id, failure, remaining FROM failure_rules WHERE hash = ? OR destination = ?
       ORDER BY (hash IS NULL), id LIMIT 1`,
    )
    .get(hash, destination) as { id: bigint; failure: FailureKind; remaining: bigint | null } | undefined;
  if (!rule) return null;
  if (consume && rule.remaining !== null) {
    if (rule.remaining <= 1n) ledger.sql('DELETE FROM failure_rules WHERE id = ?').run(rule.id);
    else ledger.sql('UPDATE failure_rules SET remaining = remaining - 1 WHERE id = ?').run(rule.id);
  }
  return rule.failure;
}

/** base + ppm, rounded up to whole sats so a reported fee in sats is exact. */
function fee(ledger: Ledger, amountMsat: bigint): bigint {
  const msat = BigInt(ledger.feeBaseMsat) + (amountMsat * BigInt(ledger.feePpm) + 999_999n) / 1_000_000n;
  return ((msat + 999n) / 1000n) * 1000n;
}
