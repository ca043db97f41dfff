// fast-check generators for every Mostro payload variant, in the normalized form parseMessage
// returns (option fields present as null, skip fields absent, UUIDs lowercase).
import fc from 'fast-check';
import {
  ACTIONS,
  CANT_DO_REASONS,
  DISPUTE_INITIATORS,
  DISPUTE_STATUSES,
  type Message,
  type MessageKind,
  ORDER_KINDS,
  ORDER_STATUSES,
  type Payload,
  type SmallOrder,
  type UserInfo,
  WRAPPERS,
} from '../../src/index.ts';

const i64 = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const u32 = fc.integer({ min: 0, max: 4294967295 });
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }));
const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const uuid = fc.uuid();
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

export const smallOrder: fc.Arbitrary<SmallOrder> = fc.record(
  {
    id: uuid,
    kind: nullable(fc.constantFrom(...ORDER_KINDS)),
    status: nullable(fc.constantFrom(...ORDER_STATUSES)),
    amount: i64,
    fiat_code: text,
    min_amount: nullable(i64),
    max_amount: nullable(i64),
    fiat_amount: i64,
    payment_method: text,
    premium: i64,
    buyer_trade_pubkey: hex32,
    seller_trade_pubkey: text,
    buyer_invoice: text,
    created_at: nullable(i64),
    expires_at: nullable(i64),
    cashu_mint_url: text,
  },
  {
    requiredKeys: [
      'kind',
      'status',
      'amount',
      'fiat_code',
      'min_amount',
      'max_amount',
      'fiat_amount',
      'payment_method',
      'premium',
      'created_at',
      'expires_at',
    ],
  },
);

const u53 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
// `since` in the normalized form: already a UTC day start (the serializer truncates).
const userInfo: fc.Arbitrary<UserInfo> = fc.record(
  {
    rating: fc.double({ noNaN: true, noDefaultInfinity: true }),
    reviews: i64,
    operating_days: u53,
    since: fc.integer({ min: 0, max: 2 ** 36 }).map((day) => day * 86_400),
  },
  { requiredKeys: ['rating', 'reviews', 'operating_days'] },
);

const solverInfo = fc.record({
  id: uuid,
  kind: text,
  status: text,
  hash: nullable(hex32),
  preimage: nullable(hex32),
  order_previous_status: text,
  initiator_pubkey: hex32,
  buyer_pubkey: nullable(hex32),
  seller_pubkey: nullable(hex32),
  initiator_full_privacy: fc.boolean(),
  counterpart_full_privacy: fc.boolean(),
  initiator_info: nullable(userInfo),
  counterpart_info: nullable(userInfo),
  premium: i64,
  payment_method: text,
  amount: i64,
  fiat_amount: i64,
  fee: i64,
  routing_fee: i64,
  buyer_invoice: nullable(text),
  invoice_held_at: i64,
  taken_at: i64,
  created_at: i64,
});

/** One arbitrary per Payload variant, keyed by the variant name. */
export const payloadVariants: Record<string, fc.Arbitrary<Payload>> = {
  order: smallOrder.map((order) => ({ order })),
  payment_request: fc.tuple(nullable(smallOrder), text, nullable(i64)).map((payment_request) => ({ payment_request })),
  text_message: text.map((text_message) => ({ text_message })),
  peer: fc.record({ pubkey: text, reputation: nullable(userInfo) }).map((peer) => ({ peer })),
  rating_user: fc.integer({ min: 0, max: 255 }).map((rating_user) => ({ rating_user })),
  amount: i64.map((amount) => ({ amount })),
  dispute: fc.tuple(uuid, nullable(solverInfo)).map((dispute) => ({ dispute })),
  cant_do: nullable(fc.constantFrom(...CANT_DO_REASONS)).map((cant_do) => ({ cant_do })),
  next_trade: fc.tuple(hex32, u32).map((next_trade) => ({ next_trade })),
  payment_failed: fc
    .record({ payment_attempts: u32, payment_retries_interval: u32 })
    .map((payment_failed) => ({ payment_failed })),
  restore_data: fc
    .record({
      orders: fc.array(
        fc.record({
          order_id: uuid,
          trade_index: i64,
          status: fc.constantFrom(...ORDER_STATUSES),
          counterparty_trade_pubkey: nullable(hex32),
        }),
        { maxLength: 3 },
      ),
      disputes: fc.array(
        fc.record({
          dispute_id: uuid,
          order_id: uuid,
          trade_index: i64,
          status: fc.constantFrom(...DISPUTE_STATUSES),
          initiator: nullable(fc.constantFrom(...DISPUTE_INITIATORS)),
          solver_pubkey: nullable(hex32),
        }),
        { maxLength: 3 },
      ),
    })
    .map((restore_data) => ({ restore_data })),
  ids: fc.array(uuid, { maxLength: 4 }).map((ids) => ({ ids })),
  orders: fc.array(smallOrder, { maxLength: 3 }).map((orders) => ({ orders })),
  bond_resolution: fc
    .record({ slash_seller: fc.boolean(), slash_buyer: fc.boolean() })
    .map((bond_resolution) => ({ bond_resolution })),
  bond_payout_request: fc
    .record({ order: smallOrder, slashed_at: i64 })
    .map((bond_payout_request) => ({ bond_payout_request })),
  cashu_lock_proof: fc
    .record(
      { token: text, mint_url: text, buyer_pubkey: hex32, seller_pubkey: hex32, mostro_pubkey: hex32, fee_token: text },
      { requiredKeys: ['token', 'mint_url', 'buyer_pubkey', 'seller_pubkey', 'mostro_pubkey'] },
    )
    .map((cashu_lock_proof) => ({ cashu_lock_proof })),
  cashu_signatures: fc
    .array(fc.record({ secret: text, signature: hex32 }), { maxLength: 3 })
    .map((cashu_signatures) => ({ cashu_signatures })),
  payer_declaration: fc.record({ payment_hash: text }).map((payer_declaration) => ({ payer_declaration })),
  payment_history: fc
    .record({
      payment_hash: text,
      buyer_mode: fc.constantFrom('reputation' as const, 'full_privacy' as const, 'unknown' as const),
      successful_trades: u32,
      distinct_counterparties: u32,
      experienced_counterparties: u32,
      first_success_at: nullable(i64),
      last_success_at: nullable(i64),
    })
    .map((payment_history) => ({ payment_history })),
  reputation_export_request: fc
    .record({ destination: hex32, rebind: nullable(text) })
    .map((reputation_export_request) => ({ reputation_export_request })),
  reputation_attestation: text.map((reputation_attestation) => ({ reputation_attestation })),
  user_info: userInfo.map((user_info) => ({ user_info })),
};

export function messageWith(payload: fc.Arbitrary<Payload | null>): fc.Arbitrary<Message> {
  const kind: fc.Arbitrary<MessageKind> = fc.record(
    {
      version: fc.integer({ min: 0, max: 255 }),
      request_id: nullable(fc.bigInt({ min: 0n, max: 18446744073709551615n })),
      trade_index: nullable(i64),
      id: uuid,
      action: fc.constantFrom(...ACTIONS),
      payload,
    },
    { requiredKeys: ['version', 'request_id', 'trade_index', 'action', 'payload'] },
  );
  return fc.record({ wrapper: fc.constantFrom(...WRAPPERS), kind });
}

export const anyPayload = fc.oneof(...Object.values(payloadVariants));
export const anyMessage = messageWith(nullable(anyPayload));
