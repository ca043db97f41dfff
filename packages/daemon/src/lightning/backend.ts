// The one interface the node's escrow logic talks to. Two implementations: LND (gRPC through the
// `lightning` package) and the simulated network of the embedded default. Every operation returns
// errors as values with a code, never throws for an expected Lightning outcome.

export type LnErrorCode =
  | 'unavailable' // backend unreachable; the call may or may not have taken effect: retry/reconcile
  | 'not_found' // no such invoice / payment
  | 'invalid_invoice' // cannot be decoded, wrong network, ...
  | 'already_exists' // hold invoice for this hash exists
  | 'invalid_state' // e.g. settle on an invoice that is not accepted
  | 'no_route'
  | 'payee_offline'
  | 'fee_too_high'
  | 'expired'
  | 'payment_failed' // final failure for another reason
  | 'timeout';

export interface LnError {
  code: LnErrorCode;
  message: string;
}

export type LnResult<T> = { ok: true; value: T } | { ok: false; error: LnError };

export const ok = <T>(value: T): LnResult<T> => ({ ok: true, value });
export const fail = (code: LnErrorCode, message: string): LnResult<never> => ({ ok: false, error: { code, message } });

export type HoldInvoiceState = 'open' | 'accepted' | 'settled' | 'canceled';

export interface HoldInvoice {
  hash: string; // hex
  request: string; // BOLT-11
  amountSats: number;
  state: HoldInvoiceState;
  /** Absolute block height at which the accepted HTLC expires (only when accepted). */
  htlcExpiryHeight: number | null;
  expiresAt: number; // unix seconds: invoice expiry (for payment, not the HTLC)
}

export interface AddHoldInvoiceArgs {
  hash: string; // hex sha256(preimage); the node keeps the preimage
  amountSats: number;
  memo: string;
  expirySeconds: number;
  cltvDelta: number;
}

export interface DecodedInvoice {
  network: string; // 'bitcoin' | 'testnet' | 'regtest' | 'signet' | 'simnet'
  hash: string;
  amountMsat: bigint | null; // null = amountless
  createdAt: number;
  expirySeconds: number;
  minFinalCltvExpiry: number;
  destination: string;
  description: string;
}

export type PaymentState = 'in_flight' | 'succeeded' | 'failed';

export interface Payment {
  hash: string;
  state: PaymentState;
  amountSats: number;
  feeSats: number; // routing fee actually paid (0 until succeeded)
  preimage: string | null;
  failure: LnErrorCode | null;
}

export interface PayArgs {
  request: string; // BOLT-11
  /** Required for amountless invoices; must match otherwise. */
  amountSats?: number;
  maxFeeSats: number;
  timeoutSeconds: number;
}

export interface NodeInfo {
  alias: string;
  pubkey: string;
  version: string;
  commitHash: string;
  chains: string[];
  networks: string[];
  uris: string[];
  blockHeight: number;
  /** The node's view of the chain is current (LND `synced_to_chain`); payouts wait while false. */
  syncedToChain: boolean;
  simulated: boolean;
}

export interface LightningBackend {
  getInfo(): Promise<LnResult<NodeInfo>>;
  addHoldInvoice(args: AddHoldInvoiceArgs): Promise<LnResult<HoldInvoice>>;
  getHoldInvoice(hash: string): Promise<LnResult<HoldInvoice>>;
  settleHoldInvoice(preimage: string): Promise<LnResult<void>>;
  cancelHoldInvoice(hash: string): Promise<LnResult<void>>;
  /** Calls back on every state change of that invoice until settled/canceled or unsubscribed. */
  subscribeHoldInvoice(hash: string, onUpdate: (invoice: HoldInvoice) => void): () => void;
  decodeInvoice(request: string): Promise<LnResult<DecodedInvoice>>;
  /** Probe for a route without paying (money safety: check the buyer's invoice before settling). */
  probeRoute(request: string, amountSats: number, maxFeeSats: number): Promise<LnResult<{ feeSats: number }>>;
  /** Starts a payment; resolves with its final or in-flight state after at most timeoutSeconds. */
  pay(args: PayArgs): Promise<LnResult<Payment>>;
  /** The state of an earlier payment by hash: how a restart learns what happened while it was down. */
  getPayment(hash: string): Promise<LnResult<Payment>>;
  close(): Promise<void>;
}
