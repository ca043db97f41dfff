// A dispute transcript as a file: the buyer–seller chat as the solver read it (every message with
// its author's signature, the relay events it came in, the disclosed key), sealed in a Nostr event
// signed by the solver (kind 30078, never published). Anyone can check it offline: the seal's
// signature says who exported it and that nothing changed since; the protocol's verifyTranscript
// re-derives every message from the events, so an edited, dropped or added message shows up even
// when the file is re-sealed by someone else.
import {
  type NostrEvent,
  readNostrEvent,
  signEvent,
  type Transcript,
  verifyEventSignature,
  verifyTranscript,
} from '@mostro/protocol';

export const TRANSCRIPT_FORMAT = 'mostro-dispute-transcript/1';
const KIND = 30078;

export interface TranscriptBody {
  format: typeof TRANSCRIPT_FORMAT;
  orderId: string;
  disputeId: string;
  transcript: Transcript;
  /** The chat's events as the relays returned them: what the transcript is checked against. */
  events: NostrEvent[];
}

export function sealTranscript(body: TranscriptBody, solverKey: Uint8Array, now: number): NostrEvent {
  return signEvent(
    {
      kind: KIND,
      created_at: now,
      tags: [['d', `${TRANSCRIPT_FORMAT}:${body.orderId}`]],
      content: JSON.stringify(body),
    },
    solverKey,
  );
}

export type TranscriptCheck =
  | { ok: true; body: TranscriptBody; signer: string; sealedAt: number }
  | {
      ok: false;
      /** not_a_transcript: unreadable; tampered: changed after sealing or not what the chat says. */
      reason: 'not_a_transcript' | 'tampered';
      detail: string;
      /** The message the check stopped at (0-based), when one is to blame. */
      index?: number;
    };

function bodyOf(content: string): TranscriptBody | null {
  try {
    const b = JSON.parse(content) as Partial<TranscriptBody>;
    if (b.format !== TRANSCRIPT_FORMAT || typeof b.orderId !== 'string' || typeof b.disputeId !== 'string') return null;
    if (!b.transcript || !Array.isArray(b.transcript.messages) || !Array.isArray(b.events)) return null;
    return b as TranscriptBody;
  } catch {
    return null;
  }
}

/** Checks a transcript file's text. Never throws. */
export function checkTranscriptFile(text: string): TranscriptCheck {
  let seal: NostrEvent | null;
  try {
    seal = readNostrEvent(JSON.parse(text));
  } catch {
    seal = null;
  }
  if (!seal || seal.kind !== KIND) return { ok: false, reason: 'not_a_transcript', detail: 'not a sealed transcript' };
  const body = bodyOf(seal.content);
  if (!body) return { ok: false, reason: 'not_a_transcript', detail: 'the seal holds no transcript' };
  if (!verifyEventSignature(seal)) return { ok: false, reason: 'tampered', detail: 'seal_signature' };
  const verdict = verifyTranscript(body.transcript, body.events);
  if (!verdict.ok)
    return {
      ok: false,
      reason: 'tampered',
      detail: verdict.reason,
      ...(verdict.index !== undefined ? { index: verdict.index } : {}),
    };
  return { ok: true, body, signer: seal.pubkey, sealedAt: seal.created_at };
}
