import type { NostrEvent } from '../crypto/event.ts';

export type ChatFormat = 'current' | 'legacy';

/** Why an incoming chat event was refused, in the order the checks run (§8.2). */
export type ChatRejection =
  | 'not_an_event' // not a structurally valid Nostr event
  | 'wrong_kind' // outer kind is not 14 (current) / 1059 (legacy, when enabled)
  | 'wrong_author' // (1) author ≠ pub(K_sign)
  | 'wrong_p_tag' // (2) not exactly one p tag equal to pub(K_conv)
  | 'future_event' // (3) outer created_at > now + 60 s
  | 'too_large' // (4) content over 64 KiB
  | 'duplicate_event' // (5) outer id already processed
  | 'rate_limited' // (6) conversation budget exhausted
  | 'bad_outer_signature' // (7) outer id or signature invalid
  | 'decrypt_failed' // (8) NIP-44 decryption failed (other key, corrupted)
  | 'malformed_inner' // (8) plaintext is not a signed Nostr event
  | 'bad_inner_signature' // (9) inner id or signature invalid
  | 'signer_not_allowed' // (10) inner pubkey not one of the allowed signers
  | 'wrong_inner_kind' // (11) inner kind ≠ 1
  | 'replayed_inner' // (12) inner id already accepted (durable store)
  | 'time_skew'; // (13) |inner.created_at − outer.created_at| > 60 s

export interface ChatMessage {
  format: ChatFormat;
  text: string;
  /** Inner signer: a trade key (or the solver's key in a solver channel). */
  author: string;
  createdAt: number;
  innerId: string;
  /** The inner event's signature, checked. */
  signature: string;
  outerId: string;
  outerCreatedAt: number;
  inner: NostrEvent;
}

export type ChatResult = { ok: true; message: ChatMessage } | { ok: false; reason: ChatRejection };

/**
 * Durable record of accepted inner event ids (step 12). Either party holds K_sign and could
 * re-wrap an old inner event, so this must survive restarts (back it with the app's database).
 */
export interface SeenStore {
  has(id: string): boolean;
  add(id: string): void;
}

/** In-memory SeenStore, for tests and short-lived tools. */
export class MemorySeenStore implements SeenStore {
  readonly #ids = new Set<string>();
  has(id: string): boolean {
    return this.#ids.has(id);
  }
  add(id: string): void {
    this.#ids.add(id);
  }
}
