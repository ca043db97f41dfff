// Wire spellings of every enum in the Mostro protocol (mostro-core 0.17.3), exactly as serialized.

export const ACTIONS = [
  'new-order',
  'take-sell',
  'take-buy',
  'pay-invoice',
  'pay-bond-invoice',
  'fiat-sent',
  'fiat-sent-ok',
  'release',
  'released',
  'cancel',
  'canceled',
  'cooperative-cancel-initiated-by-you',
  'cooperative-cancel-initiated-by-peer',
  'dispute-initiated-by-you',
  'dispute-initiated-by-peer',
  'cooperative-cancel-accepted',
  'buyer-invoice-accepted',
  'bond-invoice-accepted',
  'purchase-completed',
  'bond-payout-completed',
  'bond-slashed',
  'hold-invoice-payment-accepted',
  'hold-invoice-payment-settled',
  'hold-invoice-payment-canceled',
  'waiting-seller-to-pay',
  'waiting-buyer-invoice',
  'add-invoice',
  'add-bond-invoice',
  'buyer-took-order',
  'rate',
  'rate-user',
  'rate-received',
  'cant-do',
  'dispute',
  'admin-cancel',
  'admin-canceled',
  'admin-settle',
  'admin-settled',
  'admin-add-solver',
  'admin-take-dispute',
  'admin-took-dispute',
  'payment-failed',
  'invoice-updated',
  'send-dm',
  'trade-pubkey',
  'restore-session',
  'last-trade-index',
  'user-info',
  'orders',
  'add-cashu-escrow',
  'cashu-escrow-locked',
  'cashu-pm-signature',
  'declare-payer',
  'payer-declared',
  'payment-history',
  'export-reputation',
  'reputation-exported',
  'import-reputation',
  'reputation-imported',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The outer key of a Message (mostro-core `Message` enum, kebab-case). */
export const WRAPPERS = ['order', 'dispute', 'cant-do', 'rate', 'dm', 'restore'] as const;
export type Wrapper = (typeof WRAPPERS)[number];

export const ORDER_STATUSES = [
  'active',
  'canceled',
  'canceled-by-admin',
  'settled-by-admin',
  'completed-by-admin',
  'dispute',
  'expired',
  'fiat-sent',
  'settled-hold-invoice',
  'pending',
  'success',
  'waiting-buyer-invoice',
  'waiting-payment',
  'cooperatively-canceled',
  'in-progress',
  'waiting-maker-bond',
  'waiting-taker-bond',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_KINDS = ['buy', 'sell'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const DISPUTE_STATUSES = [
  'initiated',
  'in-progress',
  'seller-refunded',
  'settled',
  'released',
  'cooperatively-canceled',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_INITIATORS = ['buyer', 'seller'] as const;
export type DisputeInitiator = (typeof DISPUTE_INITIATORS)[number];

export const CANT_DO_REASONS = [
  'invalid_signature',
  'invalid_trade_index',
  'invalid_amount',
  'invalid_invoice',
  'invalid_payment_request',
  'invalid_peer',
  'invalid_rating',
  'invalid_text_message',
  'invalid_order_kind',
  'invalid_order_status',
  'invalid_pubkey',
  'invalid_parameters',
  'invalid_payload',
  'order_already_canceled',
  'cant_create_user',
  'is_not_your_order',
  'not_allowed_by_status',
  'out_of_range_fiat_amount',
  'out_of_range_sats_amount',
  'price_too_stale',
  'is_not_your_dispute',
  'dispute_taken_by_admin',
  'not_authorized',
  'dispute_creation_error',
  'not_found',
  'invalid_dispute_status',
  'invalid_action',
  'pending_order_exists',
  'invalid_fiat_currency',
  'too_many_requests',
  'invalid_cashu_token',
  'cashu_mint_unavailable',
  'invalid_mint_url',
  'cashu_escrow_not_locked',
  'cashu_signature_missing',
  'maintenance_mode',
  'invalid_payment_hash',
  'payer_not_declared',
  'reputation_identity_required',
  'not_eligible_for_reputation_export',
  'reputation_bound_to_other_identity',
  'invalid_reputation_rebind',
  'invalid_reputation_attestation',
  'untrusted_reputation_issuer',
  'expired_reputation_attestation',
  'reputation_identity_mismatch',
  'reputation_already_imported',
  /** `#[serde(other)]` catch-all: any reason this list does not know parses as `unknown`; never sent. */
  'unknown',
] as const;
export type CantDoReason = (typeof CANT_DO_REASONS)[number];

/** Transport names as in mostro-core's `Transport` serde enum. */
export const TRANSPORTS = ['gift-wrap', 'nip44'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const TRANSPORT_KIND: Record<Transport, 1059 | 14> = { 'gift-wrap': 1059, nip44: 14 };
export const TRANSPORT_VERSION: Record<Transport, 1 | 2> = { 'gift-wrap': 1, nip44: 2 };
