// The Mostro message model as serde sees it (mostro-core 0.17.3, protocol.md §1.8 and §4.2): field
// order = Rust struct declaration order, which is the byte order that gets hashed and signed.
import {
  bool,
  type Codec,
  f64,
  field,
  int,
  oneOf,
  option,
  str,
  struct,
  taggedUnion,
  tuple,
  u64big,
  uuid,
  vec,
} from './codec.ts';
import type { CantDoReason } from './enums.ts';
import {
  ACTIONS,
  CANT_DO_REASONS,
  DISPUTE_INITIATORS,
  DISPUTE_STATUSES,
  ORDER_KINDS,
  ORDER_STATUSES,
} from './enums.ts';
import type {
  BondPayoutRequest,
  BondResolution,
  CashuLockProof,
  CashuProofSignature,
  MessageKind,
  PayerBuyerMode,
  PayerDeclaration,
  Payload,
  PaymentFailedInfo,
  PaymentHistory,
  Peer,
  ReputationExportRequest,
  RestoredDisputesInfo,
  RestoredOrdersInfo,
  RestoreSessionInfo,
  SmallOrder,
  SolverDisputeInfo,
  UserInfo,
} from './types.ts';

const i64 = int('i64');

/** `#[serde(deny_unknown_fields)]`: an extra key makes the whole message unparseable. */
export const smallOrderCodec = struct<SmallOrder>(
  [
    field('id', uuid, 'skip'),
    field('kind', oneOf(ORDER_KINDS, 'order kind'), 'option'),
    field('status', oneOf(ORDER_STATUSES, 'order status'), 'option'),
    field('amount', i64),
    field('fiat_code', str),
    field('min_amount', i64, 'option'),
    field('max_amount', i64, 'option'),
    field('fiat_amount', i64),
    field('payment_method', str),
    field('premium', i64),
    field('buyer_trade_pubkey', str, 'skip'),
    field('seller_trade_pubkey', str, 'skip'),
    field('buyer_invoice', str, 'skip'),
    field('created_at', i64, 'option'),
    field('expires_at', i64, 'option'),
    field('cashu_mint_url', str, 'skip'),
  ],
  { denyUnknown: true },
);

const u64 = int('u64');
/** `since` is always written truncated to its UTC day start (mostro-core `day_truncate`). */
const dayStart: Codec<number> = {
  write: (value, path) => u64.write(typeof value === 'number' ? value - (value % 86_400) : value, path),
  read: (json, path) => u64.read(json, path),
};

export const userInfoCodec = struct<UserInfo>([
  field('rating', f64),
  field('reviews', i64),
  field('operating_days', u64),
  field('since', dayStart, 'skip'),
]);

const peerCodec = struct<Peer>([field('pubkey', str), field('reputation', userInfoCodec, 'option')]);

const paymentFailedCodec = struct<PaymentFailedInfo>([
  field('payment_attempts', int('u32')),
  field('payment_retries_interval', int('u32')),
]);

const restoredOrderCodec = struct<RestoredOrdersInfo>([
  field('order_id', uuid),
  field('trade_index', i64),
  field('status', oneOf(ORDER_STATUSES, 'order status')),
  field('counterparty_trade_pubkey', str, 'option'),
]);

const restoredDisputeCodec = struct<RestoredDisputesInfo>([
  field('dispute_id', uuid),
  field('order_id', uuid),
  field('trade_index', i64),
  field('status', oneOf(DISPUTE_STATUSES, 'dispute status')),
  field('initiator', oneOf(DISPUTE_INITIATORS, 'dispute initiator'), 'option'),
  field('solver_pubkey', str, 'option'),
]);

const restoreSessionCodec = struct<RestoreSessionInfo>([
  field('orders', vec(restoredOrderCodec)),
  field('disputes', vec(restoredDisputeCodec)),
]);

const bondResolutionCodec = struct<BondResolution>([field('slash_seller', bool), field('slash_buyer', bool)]);

const bondPayoutRequestCodec = struct<BondPayoutRequest>([field('order', smallOrderCodec), field('slashed_at', i64)]);

const cashuLockProofCodec = struct<CashuLockProof>([
  field('token', str),
  field('mint_url', str),
  field('buyer_pubkey', str),
  field('seller_pubkey', str),
  field('mostro_pubkey', str),
  field('fee_token', str, 'skip'),
]);

const cashuSignatureCodec = struct<CashuProofSignature>([field('secret', str), field('signature', str)]);

export const solverDisputeInfoCodec = struct<SolverDisputeInfo>([
  field('id', uuid),
  field('kind', str),
  field('status', str),
  field('hash', str, 'option'),
  field('preimage', str, 'option'),
  field('order_previous_status', str),
  field('initiator_pubkey', str),
  field('buyer_pubkey', str, 'option'),
  field('seller_pubkey', str, 'option'),
  field('initiator_full_privacy', bool),
  field('counterpart_full_privacy', bool),
  field('initiator_info', userInfoCodec, 'option'),
  field('counterpart_info', userInfoCodec, 'option'),
  field('premium', i64),
  field('payment_method', str),
  field('amount', i64),
  field('fiat_amount', i64),
  field('fee', i64),
  field('routing_fee', i64),
  field('buyer_invoice', str, 'option'),
  field('invoice_held_at', i64),
  field('taken_at', i64),
  field('created_at', i64),
]);

const payerDeclarationCodec = struct<PayerDeclaration>([field('payment_hash', str)]);

const BUYER_MODES = ['reputation', 'full_privacy', 'unknown'] as const;
/** serde `#[serde(other)]`: a buyer_mode this version does not know reads as `unknown`. */
const buyerModeCodec: Codec<PayerBuyerMode> = {
  write: (value, path) => oneOf(BUYER_MODES, 'buyer mode').write(value, path),
  read(json, path) {
    const mode = str.read(json, path);
    return (BUYER_MODES as readonly string[]).includes(mode) ? (mode as PayerBuyerMode) : 'unknown';
  },
};
const u32 = int('u32');

const paymentHistoryCodec = struct<PaymentHistory>([
  field('payment_hash', str),
  field('buyer_mode', buyerModeCodec),
  field('successful_trades', u32),
  field('distinct_counterparties', u32),
  field('experienced_counterparties', u32),
  field('first_success_at', i64, 'option'),
  field('last_success_at', i64, 'option'),
]);

const reputationExportRequestCodec = struct<ReputationExportRequest>([
  field('destination', str),
  field('rebind', str, 'option'),
]);

/** `CantDoReason` with `#[serde(other)] Unknown`: an unknown reason string reads as `unknown`. */
const cantDoReasonCodec: Codec<CantDoReason> = {
  write: (value, path) => oneOf(CANT_DO_REASONS, 'cant-do reason').write(value, path),
  read(json, path) {
    const reason = str.read(json, path);
    return (CANT_DO_REASONS as readonly string[]).includes(reason) ? (reason as CantDoReason) : 'unknown';
  },
};

/** Payload variant keys (snake_case) in mostro-core declaration order. */
export const PAYLOAD_CODECS: Record<string, Codec<unknown>> = {
  order: smallOrderCodec,
  payment_request: tuple(option(smallOrderCodec), str, option(i64)),
  text_message: str,
  peer: peerCodec,
  rating_user: int('u8'),
  amount: i64,
  dispute: tuple(uuid, option(solverDisputeInfoCodec)),
  cant_do: option(cantDoReasonCodec),
  next_trade: tuple(str, int('u32')),
  payment_failed: paymentFailedCodec,
  restore_data: restoreSessionCodec,
  ids: vec(uuid),
  orders: vec(smallOrderCodec),
  bond_resolution: bondResolutionCodec,
  bond_payout_request: bondPayoutRequestCodec,
  cashu_lock_proof: cashuLockProofCodec,
  cashu_signatures: vec(cashuSignatureCodec),
  payer_declaration: payerDeclarationCodec,
  payment_history: paymentHistoryCodec,
  reputation_export_request: reputationExportRequestCodec,
  reputation_attestation: str,
  user_info: userInfoCodec,
};

export const payloadCodec = taggedUnion<Payload>(PAYLOAD_CODECS, 'payload');

/** MessageKind: unknown keys are ignored (and lost on re-serialization), as serde does. */
export const messageKindCodec = struct<MessageKind>([
  field('version', int('u8')),
  field('request_id', u64big, 'option'),
  field('trade_index', i64, 'option'),
  field('id', uuid, 'skip'),
  field('action', oneOf(ACTIONS, 'action')),
  field('payload', payloadCodec, 'option'),
]);
