// Receiving chat events: the §8.2 validation order (current format) and the §8.3 legacy path.
// Stateful steps (5 outer-id dedup, 6 rate budget, 12 durable inner-id store) are hooks so that
// the same code serves the stateless openChat, the ChatReceiver and transcript export.
import { type NostrEvent, readNostrEvent, verifyEventSignature } from '../crypto/event.ts';
import { conversationKey, nip44Decrypt } from '../crypto/nip44.ts';
import type { SecpBackend } from '../crypto/secp.ts';
import type { ChatChannel } from './channel.ts';
import { checkInner } from './inner.ts';
import type { ChatFormat, ChatResult } from './types.ts';

export const CHAT_MAX_CONTENT_BYTES = 65536;
export const CHAT_MAX_FUTURE_SECONDS = 60;
export const CHAT_MAX_SKEW_SECONDS = 60;

export interface OpenChatOptions {
  /** Accepted inner signers (§8.2 step 10); null skips the check (inspection only). */
  allowedSigners: readonly string[] | null;
  /** Local clock in unix seconds (default: now). */
  now?: number;
  secp?: SecpBackend;
}

export interface ChatHooks {
  seenOuter?(id: string): boolean;
  takeBudget?(): boolean;
  seenInner?(id: string): boolean;
}

const encoder = new TextEncoder();

const tooLarge = (content: string): boolean =>
  content.length > CHAT_MAX_CONTENT_BYTES ||
  (content.length * 3 > CHAT_MAX_CONTENT_BYTES && encoder.encode(content).length > CHAT_MAX_CONTENT_BYTES);

/** Which format an event would be read as on this channel (null: neither). */
export function chatFormatOf(event: { kind: number }, channel: ChatChannel): ChatFormat | null {
  if (event.kind === 14 && channel.current) return 'current';
  if (event.kind === 1059 && channel.legacy) return 'legacy';
  return null;
}

/** Check and decrypt one chat event. Never throws. */
export function openChatWith(
  input: unknown,
  channel: ChatChannel,
  opts: OpenChatOptions,
  hooks: ChatHooks = {},
): ChatResult {
  const event = readNostrEvent(input);
  if (!event) return { ok: false, reason: 'not_an_event' };
  const format = chatFormatOf(event, channel);
  if (!format) return { ok: false, reason: 'wrong_kind' };
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  try {
    return format === 'current'
      ? openCurrent(event, channel, opts, now, hooks)
      : openLegacy(event, channel, opts, now, hooks);
  } catch {
    // Only a pubkey that is not on the curve gets here (ECDH throws); the sender is not legitimate.
    return { ok: false, reason: 'decrypt_failed' };
  }
}

function openCurrent(
  event: NostrEvent,
  channel: ChatChannel,
  opts: OpenChatOptions,
  now: number,
  hooks: ChatHooks,
): ChatResult {
  const ch = channel.current!;
  if (ch.signPub !== null && event.pubkey !== ch.signPub) return { ok: false, reason: 'wrong_author' }; // 1
  const ps = event.tags.filter((t) => t[0] === 'p');
  if (ps.length !== 1 || ps[0]![1] !== ch.conv.publicKey) return { ok: false, reason: 'wrong_p_tag' }; // 2
  if (event.created_at > now + CHAT_MAX_FUTURE_SECONDS) return { ok: false, reason: 'future_event' }; // 3
  if (tooLarge(event.content)) return { ok: false, reason: 'too_large' }; // 4
  if (hooks.seenOuter?.(event.id)) return { ok: false, reason: 'duplicate_event' }; // 5
  if (hooks.takeBudget && !hooks.takeBudget()) return { ok: false, reason: 'rate_limited' }; // 6
  if (!verifyEventSignature(event, opts.secp)) return { ok: false, reason: 'bad_outer_signature' }; // 7
  let plaintext: string;
  try {
    plaintext = nip44Decrypt(event.content, ch.nip44Key); // 8
  } catch {
    return { ok: false, reason: 'decrypt_failed' };
  }
  const checked = checkInner(plaintext, opts.allowedSigners, opts.secp); // 9–11
  if (!checked.ok) return checked;
  const inner = checked.inner;
  if (hooks.seenInner?.(inner.id)) return { ok: false, reason: 'replayed_inner' }; // 12
  if (Math.abs(inner.created_at - event.created_at) > CHAT_MAX_SKEW_SECONDS) return { ok: false, reason: 'time_skew' }; // 13
  return { ok: true, message: toMessage('current', event, inner) };
}

function openLegacy(
  event: NostrEvent,
  channel: ChatChannel,
  opts: OpenChatOptions,
  now: number,
  hooks: ChatHooks,
): ChatResult {
  const key = channel.legacy!;
  // The p tag is only a routing hint in the legacy format: addressing is proven by decryption.
  if (event.created_at > now + CHAT_MAX_FUTURE_SECONDS) return { ok: false, reason: 'future_event' };
  if (tooLarge(event.content)) return { ok: false, reason: 'too_large' };
  if (hooks.seenOuter?.(event.id)) return { ok: false, reason: 'duplicate_event' };
  if (hooks.takeBudget && !hooks.takeBudget()) return { ok: false, reason: 'rate_limited' };
  if (!verifyEventSignature(event, opts.secp)) return { ok: false, reason: 'bad_outer_signature' };
  let plaintext: string;
  try {
    plaintext = nip44Decrypt(event.content, conversationKey(key.secretKey, event.pubkey, opts.secp));
  } catch {
    return { ok: false, reason: 'decrypt_failed' };
  }
  const checked = checkInner(plaintext, opts.allowedSigners, opts.secp);
  if (!checked.ok) return checked;
  if (hooks.seenInner?.(checked.inner.id)) return { ok: false, reason: 'replayed_inner' };
  // No time-skew rule: the legacy outer timestamp is deliberately randomized into the past.
  return { ok: true, message: toMessage('legacy', event, checked.inner) };
}

const toMessage = (format: ChatFormat, outer: NostrEvent, inner: NostrEvent) => ({
  format,
  text: inner.content,
  author: inner.pubkey,
  createdAt: inner.created_at,
  innerId: inner.id,
  signature: inner.sig,
  outerId: outer.id,
  outerCreatedAt: outer.created_at,
  inner,
});

/** Stateless receive: every §8.2 check except the stateful ones (5, 6, 12). */
export const openChat = (event: unknown, channel: ChatChannel, opts: OpenChatOptions): ChatResult =>
  openChatWith(event, channel, opts);
