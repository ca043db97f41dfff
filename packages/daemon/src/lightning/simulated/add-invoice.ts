// Creating an invoice (regular or hold): the arguments checked, a real signed BOLT-11 request made
// with the wallet's node key, the row written.
import { randomBytes } from 'node:crypto';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { encodeInvoice, MAX_DESCRIPTION_BYTES } from './bolt11.ts';
import type { Ledger } from './ledger.ts';
import { fail, HEX32, isWholeNumber, MAX_CLTV_DELTA, MAX_EXPIRY_SECONDS, ok, WALLET_NAME } from './limits.ts';
import { toInvoiceView } from './rows.ts';
import { type InvoiceView, MAX_AMOUNT_SATS, type SimResult } from './types.ts';

export interface InvoiceArgs {
  hash: string;
  preimage: string | null;
  amountSats: number | null;
  memo: string;
  expirySeconds: number;
  cltvDelta: number;
}

/** What is wrong with the invoice's arguments (the network's answer), or null when nothing is. */
export function invoiceArgsProblem(name: string, kind: 'regular' | 'hold', args: InvoiceArgs): SimResult<never> | null {
  if (!WALLET_NAME.test(name)) return fail('invalid_argument', 'bad wallet name');
  if (typeof args.hash !== 'string' || !HEX32.test(args.hash)) return fail('invalid_argument', 'hash: 32 bytes hex');
  if (args.amountSats !== null && !isWholeNumber(args.amountSats, 1, MAX_AMOUNT_SATS)) {
    return fail('invalid_argument', 'amount must be a positive whole number of sats');
  }
  if (kind === 'hold' && args.amountSats === null) return fail('invalid_argument', 'a hold invoice needs an amount');
  if (typeof args.memo !== 'string' || Buffer.byteLength(args.memo, 'utf8') > MAX_DESCRIPTION_BYTES) {
    return fail('invalid_argument', `memo: text of at most ${MAX_DESCRIPTION_BYTES} bytes`);
  }
  if (!isWholeNumber(args.expirySeconds, 1, MAX_EXPIRY_SECONDS)) return fail('invalid_argument', 'bad expiry');
  if (!isWholeNumber(args.cltvDelta, 1, MAX_CLTV_DELTA)) return fail('invalid_argument', 'bad cltv delta');
  return null;
}

/** Writes the invoice, inside the network's transaction (its hash goes into `changed`). */
export function insertInvoice(
  ledger: Ledger,
  changed: Set<string>,
  name: string,
  kind: 'regular' | 'hold',
  args: InvoiceArgs,
): SimResult<InvoiceView> {
  if (ledger.invoice(args.hash)) return fail('already_exists', 'an invoice for this hash exists');
  const w = ledger.ensureWallet(name);
  const now = ledger.clock.now();
  const amountMsat = args.amountSats === null ? null : BigInt(args.amountSats) * 1000n;
  const request = encodeInvoice({
    nodeKey: hexToBytes(w.node_key),
    network: 'regtest',
    hash: args.hash,
    amountMsat,
    description: args.memo,
    createdAt: now,
    expirySeconds: args.expirySeconds,
    cltvDelta: args.cltvDelta,
    paymentSecret: bytesToHex(randomBytes(32)),
  });
  ledger
    .sql(
      `INSERT INTO invoices (hash, wallet, kind, request, amount_msat, memo, preimage, created_at, expires_at,
         cltv_delta, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
    )
    .run(
      args.hash,
      name,
      kind,
      request,
      amountMsat,
      args.memo,
      args.preimage,
      now,
      now + args.expirySeconds,
      args.cltvDelta,
      now,
    );
  changed.add(args.hash);
  return ok(toInvoiceView(ledger.invoice(args.hash)!));
}
