// The inner kind 1 event both chat formats carry: signed by the sender's trade key.
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { isNostrEvent, type NostrEvent, signEvent, verifyEventSignature } from '../crypto/event.ts';
import type { SecpBackend } from '../crypto/secp.ts';
import type { ChatRejection } from './types.ts';

/**
 * Kind 1 text signed by the trade key. The current format adds exactly one `["u", 16 hex]` nonce
 * tag so that the same text in the same second still has a distinct id (mobile createChatRumor).
 */
export function createInner(
  text: string,
  tradeKey: Uint8Array,
  createdAt: number,
  opts: { nonce?: boolean; secp?: SecpBackend } = {},
): NostrEvent {
  const tags = opts.nonce === false ? [] : [['u', bytesToHex(randomBytes(8))]];
  return signEvent({ kind: 1, created_at: createdAt, tags, content: text }, tradeKey, { secp: opts.secp });
}

/** Parse and check the decrypted inner event: steps 9–11 (allowedSigners null = do not restrict). */
export function checkInner(
  plaintext: string,
  allowedSigners: readonly string[] | null,
  secp?: SecpBackend,
): { ok: true; inner: NostrEvent } | { ok: false; reason: ChatRejection } {
  let inner: unknown;
  try {
    inner = JSON.parse(plaintext);
  } catch {
    return { ok: false, reason: 'malformed_inner' };
  }
  if (!isNostrEvent(inner)) return { ok: false, reason: 'malformed_inner' };
  if (!verifyEventSignature(inner, secp)) return { ok: false, reason: 'bad_inner_signature' };
  if (allowedSigners && !allowedSigners.includes(inner.pubkey)) return { ok: false, reason: 'signer_not_allowed' };
  if (inner.kind !== 1) return { ok: false, reason: 'wrong_inner_kind' };
  return { ok: true, inner };
}
