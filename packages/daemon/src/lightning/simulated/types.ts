// The simulated network's public vocabulary: results and errors, the clock, the amounts a caller may
// use, failure rules, options and the views callers get (network.ts re-exports all of it).
import type { LnErrorCode } from '../backend.ts';

/** The simulator's errors: the backend's codes plus bad arguments from a caller. */
export type SimErrorCode = LnErrorCode | 'invalid_argument';
export type SimResult<T> = { ok: true; value: T } | { ok: false; error: { code: SimErrorCode; message: string } };

/** Time in unix seconds. A clock with `advance(seconds)` is "injectable": tests and the admin API move it. */
export interface SimClock {
  now(): number;
  advance?(seconds: number): void;
}

export const BLOCK_INTERVAL_SECONDS = 600;
/** What the faucet mints at most per call, and the most any amount may be: 21M BTC. */
export const MAX_FUND_SATS = 100_000_000;
export const MAX_AMOUNT_SATS = 21_000_000 * 100_000_000;

export type FailureKind = 'no_route' | 'payee_offline' | 'fee_too_high' | 'stuck';
export const FAILURE_KINDS: readonly FailureKind[] = ['no_route', 'payee_offline', 'fee_too_high', 'stuck'];

export interface FailureRule {
  failure: FailureKind;
  /** Matches payments of this hash... */
  hash?: string;
  /** ...or payments to this node pubkey... */
  destination?: string;
  /** ...or to this wallet's node (resolved to its pubkey when the rule is added). */
  wallet?: string;
  /** How many payments the rule hits before it disappears; default: until cleared. */
  times?: number;
}

export interface SimulatedNetworkOptions {
  /** SQLite file holding the whole network; default `:memory:` (lost on close). */
  path?: string;
  /** Default: the real clock. An object with `advance(seconds)` enables advanceClock and /admin/advance. */
  clock?: SimClock;
  /** Routing fee charged to the payer: base (msat) + ppm of the amount, rounded up to whole sats. */
  feeBaseMsat?: number;
  feePpm?: number;
  /** Blocks before an accepted HTLC's expiry at which the payee's node cancels it (LND: 12). */
  holdExpiryDelta?: number;
  /** Block height of a fresh network (ignored when the file already exists). */
  startHeight?: number;
  /** How often (real ms) expiries are checked without a caller; 0 disables the timer. Default 1000. */
  tickMs?: number;
}

export interface WalletView {
  name: string;
  pubkey: string;
  balanceMsat: bigint;
  /** Sent and not yet final: in-flight payments, including routing fees. */
  outgoingInFlightMsat: bigint;
}

export type SimInvoiceState = 'open' | 'accepted' | 'settled' | 'canceled';

export interface InvoiceView {
  hash: string;
  wallet: string;
  kind: 'regular' | 'hold';
  request: string;
  amountMsat: bigint | null;
  memo: string;
  /** A regular invoice goes open → settled (paid); a hold invoice open → accepted → settled | canceled. */
  state: SimInvoiceState;
  createdAt: number;
  expiresAt: number;
  cltvDelta: number;
  receivedMsat: bigint | null;
  htlcExpiryHeight: number | null;
}

export interface PaymentView {
  wallet: string;
  hash: string;
  request: string;
  destination: string;
  amountMsat: bigint;
  /** Routing fee: charged (held) while in flight, kept when succeeded, refunded when failed. */
  feeMsat: bigint;
  state: 'in_flight' | 'succeeded' | 'failed';
  preimage: string | null;
  failure: SimErrorCode | null;
  failureMessage: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditView {
  mintedMsat: bigint;
  balancesMsat: bigint;
  inFlightMsat: bigint;
  feesMsat: bigint;
  height: number;
}

export interface PayRequest {
  request: string;
  amountSats?: number;
  maxFeeSats: number;
}
