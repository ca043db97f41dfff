// Rows of the simulator's tables as better-sqlite3 returns them (money as BigInt), and the views made
// from them.
import type { InvoiceView, PaymentView, SimErrorCode, SimInvoiceState } from './types.ts';

export interface InvoiceRow {
  hash: string;
  wallet: string;
  kind: 'regular' | 'hold';
  request: string;
  amount_msat: bigint | null;
  memo: string;
  preimage: string | null;
  created_at: bigint;
  expires_at: bigint;
  cltv_delta: bigint;
  state: SimInvoiceState;
  payer: string | null;
  received_msat: bigint | null;
  htlc_expiry_height: bigint | null;
}

export interface PaymentRow {
  wallet: string;
  hash: string;
  request: string;
  destination: string;
  amount_msat: bigint;
  fee_msat: bigint;
  state: 'in_flight' | 'succeeded' | 'failed';
  preimage: string | null;
  failure: string | null;
  stuck: bigint;
  htlc_expiry_height: bigint | null;
  created_at: bigint;
  updated_at: bigint;
}

export interface WalletRow {
  name: string;
  node_key: string;
  pubkey: string;
  balance_msat: bigint;
}

export const toInvoiceView = (r: InvoiceRow): InvoiceView => ({
  hash: r.hash,
  wallet: r.wallet,
  kind: r.kind,
  request: r.request,
  amountMsat: r.amount_msat,
  memo: r.memo,
  state: r.state,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  cltvDelta: Number(r.cltv_delta),
  receivedMsat: r.received_msat,
  htlcExpiryHeight: r.htlc_expiry_height === null ? null : Number(r.htlc_expiry_height),
});

export const toPaymentView = (r: PaymentRow): PaymentView => {
  const [code, ...message] = (r.failure ?? '').split(': ');
  return {
    wallet: r.wallet,
    hash: r.hash,
    request: r.request,
    destination: r.destination,
    amountMsat: r.amount_msat,
    feeMsat: r.fee_msat,
    state: r.state,
    preimage: r.preimage,
    failure: r.failure === null ? null : (code as SimErrorCode),
    failureMessage: r.failure === null ? null : message.join(': '),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
};
