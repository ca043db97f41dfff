// The Mostro message model. Field names are the wire names (snake_case) so that a value of these
// types IS the JSON shape; canonical key order is applied by the serializer, not by object literals.
import type {
  Action,
  CantDoReason,
  DisputeInitiator,
  DisputeStatus,
  OrderKind,
  OrderStatus,
  Wrapper,
} from './enums.ts';

export interface SmallOrder {
  id?: string;
  kind: OrderKind | null;
  status: OrderStatus | null;
  amount: number;
  fiat_code: string;
  min_amount: number | null;
  max_amount: number | null;
  fiat_amount: number;
  payment_method: string;
  premium: number;
  buyer_trade_pubkey?: string;
  seller_trade_pubkey?: string;
  buyer_invoice?: string;
  created_at: number | null;
  expires_at: number | null;
  /** Cashu nodes only (mostro-core 0.17); a Lightning node refuses a new order naming one. */
  cashu_mint_url?: string;
}

export interface UserInfo {
  /** f64 on the wire: always printed with a decimal point (`0.0`). */
  rating: number;
  reviews: number;
  /** Deprecated since mostro-core 0.17 in favour of `since`; still sent. */
  operating_days: number;
  /** Start of the user's first day (unix seconds); serialized truncated to a UTC day start. */
  since?: number;
}

export interface Peer {
  pubkey: string;
  reputation: UserInfo | null;
}

export interface PaymentFailedInfo {
  payment_attempts: number;
  payment_retries_interval: number;
}

export interface RestoredOrdersInfo {
  order_id: string;
  trade_index: number;
  status: OrderStatus;
  /** The other party's trade key (seller's for the requester's buy side, buyer's for sell); null while untaken. */
  counterparty_trade_pubkey: string | null;
}

export interface RestoredDisputesInfo {
  dispute_id: string;
  order_id: string;
  trade_index: number;
  status: DisputeStatus;
  initiator: DisputeInitiator | null;
  solver_pubkey: string | null;
}

export interface RestoreSessionInfo {
  orders: RestoredOrdersInfo[];
  disputes: RestoredDisputesInfo[];
}

export interface BondResolution {
  slash_seller: boolean;
  slash_buyer: boolean;
}

export interface BondPayoutRequest {
  order: SmallOrder;
  slashed_at: number;
}

export interface CashuLockProof {
  token: string;
  mint_url: string;
  buyer_pubkey: string;
  seller_pubkey: string;
  mostro_pubkey: string;
  fee_token?: string;
}

export interface CashuProofSignature {
  secret: string;
  signature: string;
}

export interface SolverDisputeInfo {
  id: string;
  kind: string;
  status: string;
  hash: string | null;
  preimage: string | null;
  order_previous_status: string;
  initiator_pubkey: string;
  buyer_pubkey: string | null;
  seller_pubkey: string | null;
  initiator_full_privacy: boolean;
  counterpart_full_privacy: boolean;
  initiator_info: UserInfo | null;
  counterpart_info: UserInfo | null;
  premium: number;
  payment_method: string;
  amount: number;
  fiat_amount: number;
  fee: number;
  routing_fee: number;
  buyer_invoice: string | null;
  invoice_held_at: number;
  taken_at: number;
  created_at: number;
}

/** declare-payer / payer-declared: the buyer's payer hash (64 lowercase hex; the node validates). */
export interface PayerDeclaration {
  payment_hash: string;
}

/** `unknown` is the catch-all for any other mode on input; treat it as full privacy. */
export type PayerBuyerMode = 'reputation' | 'full_privacy' | 'unknown';

/** payment-history to the seller: how often the declared payer paid successfully on this node. */
export interface PaymentHistory {
  payment_hash: string;
  buyer_mode: PayerBuyerMode;
  successful_trades: number;
  distinct_counterparties: number;
  experienced_counterparties: number;
  first_success_at: number | null;
  last_success_at: number | null;
}

export interface ReputationExportRequest {
  /** The identity (64 lowercase hex) the attestation is issued to. */
  destination: string;
  /** The JSON of a kind-38388 rebind authorisation, when moving a bound export elsewhere. */
  rebind: string | null;
}

/** One variant of mostro-core's `Payload` enum: an object with exactly one key. */
export type Payload =
  | { order: SmallOrder }
  | { payment_request: [SmallOrder | null, string, number | null] }
  | { text_message: string }
  | { peer: Peer }
  | { rating_user: number }
  | { amount: number }
  | { dispute: [string, SolverDisputeInfo | null] }
  | { cant_do: CantDoReason | null }
  | { next_trade: [string, number] }
  | { payment_failed: PaymentFailedInfo }
  | { restore_data: RestoreSessionInfo }
  | { ids: string[] }
  | { orders: SmallOrder[] }
  | { bond_resolution: BondResolution }
  | { bond_payout_request: BondPayoutRequest }
  | { cashu_lock_proof: CashuLockProof }
  | { cashu_signatures: CashuProofSignature[] }
  | { payer_declaration: PayerDeclaration }
  | { payment_history: PaymentHistory }
  | { reputation_export_request: ReputationExportRequest }
  /** A kind-38388 event serialized as JSON, carried as a string. */
  | { reputation_attestation: string }
  | { user_info: UserInfo };

export type PayloadKey = Payload extends infer P ? (P extends Record<infer K, unknown> ? K : never) : never;

export interface MessageKind {
  version: number;
  /** u64 on the wire; bigint so that values above 2^53 survive. */
  request_id: bigint | null;
  trade_index: number | null;
  id?: string;
  action: Action;
  payload: Payload | null;
}

/** mostro-core `Message`: externally tagged; `wrapper` is the single outer key. */
export interface Message {
  wrapper: Wrapper;
  kind: MessageKind;
}
