import type { NostrEvent, UnsignedEvent } from '../crypto/event.ts';
import type { ConversationKeyCache } from '../crypto/nip44.ts';
import type { SecpBackend } from '../crypto/secp.ts';
import type { IdentityProof } from '../message/canonical.ts';
import type { Transport } from '../message/enums.ts';
import type { ProtocolError } from '../message/errors.ts';
import type { Message } from '../message/types.ts';

export type Verdict = 'valid' | 'invalid';
/** `absent`: the element is null (full privacy, node replies) — not a failure by itself. */
export type OptionalVerdict = 'valid' | 'absent' | 'invalid';

export interface TransportChecks {
  /** Outer event id and signature (kind 1059 wrap or kind 14). */
  outerSignature: Verdict;
  /** v1 only: the seal's id and signature. */
  sealSignature?: Verdict;
  /** v1 only: rumor id = NIP-01 hash of its fields. */
  rumorId?: Verdict;
  /** Trade signature over the re-serialized canonical message, against the sender (trade key). */
  tradeSignature: OptionalVerdict;
  /** v2 identity proof. Always `absent` on v1, where the seal signature is the identity claim. */
  identityProof: OptionalVerdict;
}

export type Rumor = UnsignedEvent & { id: string };

/** The layers decoded so far: everything on success, a prefix on failure (for inspection). */
export interface Layers {
  outer?: NostrEvent;
  seal?: NostrEvent;
  rumor?: Rumor;
  /** The decrypted content tuple, as received. */
  plaintext?: string;
}

export interface Unwrapped {
  ok: true;
  transport: Transport;
  message: Message;
  tradeSignature: string | null;
  identityProof: IdentityProof | null;
  /** Trade pubkey: v1 rumor.pubkey, v2 event.pubkey. Replies go here. */
  sender: string;
  /** v1 seal.pubkey; v2 proof pubkey, or event.pubkey without a proof. */
  identity: string;
  /** v1 rumor.created_at (real time), v2 event.created_at. */
  createdAt: number;
  checks: TransportChecks;
  layers: Required<Pick<Layers, 'outer' | 'plaintext'>> & Layers;
}

export type TransportErrorCode =
  /** Not a structurally valid Nostr event. */
  | 'invalid_event'
  /** Neither 1059 nor 14. */
  | 'wrong_kind'
  | 'bad_outer_signature'
  /** v1: the decrypted wrap is not a signed kind 13, or the seal does not verify / decrypt. */
  | 'malformed_seal'
  | 'wrong_seal_kind'
  | 'bad_seal_signature'
  | 'seal_decrypt_failed'
  /** v1: the decrypted seal is not an unsigned kind 1 event with a matching id. */
  | 'malformed_rumor'
  | 'wrong_rumor_kind'
  | 'bad_rumor_id'
  /** The content tuple does not parse (wrong arity, bad message…); `cause` is the ProtocolError. */
  | 'malformed_content'
  | 'bad_trade_signature'
  | 'bad_identity_proof'
  /** `from` was given and the message does not come from that key. */
  | 'unexpected_sender';

/**
 * A message that was addressed to us (or could not even be tried) but is not acceptable. Returned,
 * never thrown. `layers` and `checks` hold what was decoded before the failure.
 */
export interface TransportFailure {
  ok: false;
  code: TransportErrorCode;
  detail: string;
  cause?: ProtocolError;
  transport?: Transport;
  layers: Layers;
  checks: Partial<TransportChecks>;
}

/** null: the event is not addressed to this key (decryption failed) — try another key. */
export type UnwrapResult = Unwrapped | TransportFailure | null;

export interface UnwrapOptions {
  secp?: SecpBackend;
  /**
   * The caller already verified the outer event's id and signature (the node's intake does, before
   * its replay bookkeeping): skip doing it again. Only pass true for that exact event.
   */
  outerVerified?: boolean;
  /** Conversation-key cache for repeated peers (v1 seal layer, v2 content). */
  convKeyCache?: ConversationKeyCache;
  /** Our x-only pubkey hex, when the caller has it (saves a scalar multiplication). */
  myPublicKey?: string;
  /**
   * Require that identity and sender both equal this key (e.g. the Mostro node when a client reads
   * replies). Otherwise `unexpected_sender`.
   */
  from?: string;
}

export interface WrapParams {
  transport: Transport;
  message: Message;
  /** Authors the message: rumor author (v1) / event author (v2). */
  tradeKey: Uint8Array;
  /** Index-0 key in reputation mode; null in full privacy (v1 seal then signed by the trade key). */
  identityKey: Uint8Array | null;
  /** Recipient x-only pubkey hex (the node, or a trade key for replies). */
  recipient: string;
  /** NIP-13 difficulty mined on the outer event only. */
  pow?: number;
  /** NIP-40 expiration (unix seconds): first tag on v1, after p on v2. */
  expiration?: number;
  /** Attach the trade signature (default true, as mostro-core's WrapOptions). Node replies: false. */
  signed?: boolean;
  /** Real send time (default now): v1 rumor, v2 event. */
  createdAt?: number;
  secp?: SecpBackend;
  /** Conversation-key cache for the sender ↔ recipient key (v1 seal, v2 content); a node replying often uses one. */
  convKeyCache?: ConversationKeyCache;
}
