// Transcript export for dispute review: given a disclosed chat key (K_conv or legacy shared key)
// and the relay's events, the decrypted messages with every inner signature checked, in order.
// verifyTranscript re-derives the transcript from the events and demands an exact match, so
// edited text, dropped or re-ordered messages and a wrong key are all detected.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { verifyEventSignature } from '../crypto/event.ts';
import type { SecpBackend } from '../crypto/secp.ts';
import { channelFromKey } from './channel.ts';
import { openChatWith } from './open.ts';
import type { ChatFormat, ChatRejection } from './types.ts';

export interface TranscriptEntry {
  format: ChatFormat;
  innerId: string;
  author: string;
  createdAt: number;
  text: string;
  /** Inner event tags, needed to re-check the signature standalone. */
  tags: string[][];
  signature: string;
  outerId: string;
}

export interface Transcript {
  /** The disclosed key, hex: whoever holds the transcript can read the chat anyway. */
  chatKey: string;
  /** pub(K_sign), when known: the current-format author is then checked too. */
  signPub: string | null;
  allowedSigners: string[];
  messages: TranscriptEntry[];
  /** Events that were not part of the conversation or failed a check. */
  rejected: { outerId: string | null; reason: ChatRejection }[];
}

export interface TranscriptOptions {
  signPub?: string | null;
  secp?: SecpBackend;
}

/** Order: inner created_at, then inner id (deterministic for equal seconds). */
const byTimeThenId = (a: TranscriptEntry, b: TranscriptEntry) =>
  a.createdAt - b.createdAt || (a.innerId < b.innerId ? -1 : a.innerId > b.innerId ? 1 : 0);

export function exportTranscript(
  chatKey: Uint8Array,
  events: readonly unknown[],
  allowedSigners: readonly string[],
  opts: TranscriptOptions = {},
): Transcript {
  const signPub = opts.signPub ?? null;
  const channel = channelFromKey(chatKey, signPub, opts.secp);
  const messages: TranscriptEntry[] = [];
  const rejected: Transcript['rejected'] = [];
  const seen = new Set<string>();
  for (const event of events) {
    // now = +∞: a transcript is read after the fact, the future-time rule protects live receivers.
    const r = openChatWith(
      event,
      channel,
      { allowedSigners, now: Number.MAX_SAFE_INTEGER, secp: opts.secp },
      {
        seenInner: (id) => seen.has(id),
      },
    );
    if (!r.ok) {
      const outerId =
        typeof event === 'object' && event && typeof (event as { id?: unknown }).id === 'string'
          ? (event as { id: string }).id
          : null;
      // A relay returning the same inner event twice (re-wrapped) is not a failure of the chat.
      if (r.reason !== 'replayed_inner') rejected.push({ outerId, reason: r.reason });
      continue;
    }
    const m = r.message;
    seen.add(m.innerId);
    messages.push({
      format: m.format,
      innerId: m.innerId,
      author: m.author,
      createdAt: m.createdAt,
      text: m.text,
      tags: m.inner.tags,
      signature: m.signature,
      outerId: m.outerId,
    });
  }
  messages.sort(byTimeThenId);
  return { chatKey: bytesToHex(chatKey), signPub, allowedSigners: [...allowedSigners], messages, rejected };
}

export type TranscriptVerdict =
  | { ok: true; messages: number }
  | {
      ok: false;
      reason: 'bad_key' | 'bad_signature' | 'mismatch' | 'missing_message' | 'extra_message';
      index?: number;
    };

const sameEntry = (a: TranscriptEntry, b: TranscriptEntry): boolean =>
  a.format === b.format &&
  a.innerId === b.innerId &&
  a.author === b.author &&
  a.createdAt === b.createdAt &&
  a.text === b.text &&
  a.signature === b.signature &&
  a.outerId === b.outerId &&
  JSON.stringify(a.tags) === JSON.stringify(b.tags);

/** Re-check a transcript against the relay's events. Never throws on malformed transcripts. */
export function verifyTranscript(
  transcript: Transcript,
  events: readonly unknown[],
  secp?: SecpBackend,
): TranscriptVerdict {
  let key: Uint8Array;
  try {
    key = hexToBytes(transcript.chatKey);
    if (key.length !== 32) return { ok: false, reason: 'bad_key' };
  } catch {
    return { ok: false, reason: 'bad_key' };
  }
  const claimed = Array.isArray(transcript.messages) ? transcript.messages : [];
  // Each entry must stand on its own: the inner event it names is signed by its author.
  for (const [i, m] of claimed.entries()) {
    try {
      const inner = {
        kind: 1,
        pubkey: m.author,
        created_at: m.createdAt,
        tags: m.tags,
        content: m.text,
        id: m.innerId,
        sig: m.signature,
      };
      if (!verifyEventSignature(inner, secp)) return { ok: false, reason: 'bad_signature', index: i };
    } catch {
      return { ok: false, reason: 'bad_signature', index: i };
    }
  }
  let actual: Transcript;
  try {
    actual = exportTranscript(key, events, transcript.allowedSigners, { signPub: transcript.signPub, secp });
  } catch {
    return { ok: false, reason: 'bad_key' };
  }
  const n = Math.min(claimed.length, actual.messages.length);
  for (let i = 0; i < n; i++) {
    if (!sameEntry(claimed[i]!, actual.messages[i]!)) return { ok: false, reason: 'mismatch', index: i };
  }
  if (claimed.length < actual.messages.length) return { ok: false, reason: 'missing_message', index: n };
  if (claimed.length > actual.messages.length) return { ok: false, reason: 'extra_message', index: n };
  return { ok: true, messages: n };
}
