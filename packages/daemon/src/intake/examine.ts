// The CPU-heavy part of the intake, for one event: its outer signature (id and Schnorr signature)
// and, only when that holds, the unwrap with the node key (NIP-44 / gift wrap, inner signatures).
// Pure over its options, so it runs the same inline or on a crypto worker (crypto-pool.ts); the
// pipeline then consults the verdicts in its own order (pipeline.ts), as if it had computed them.
import { type NostrEvent as ProtocolEvent, verifyEventSignature } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { type OpenOptions, openEvent } from './open.ts';
import type { Opened } from './pipeline.ts';

export type Examined =
  | { outerValid: false }
  /** `opened` null = not addressed to us; `malformed` = addressed to us, but not a valid message. */
  | { outerValid: true; opened: Opened | null; malformed: string | null };

export function examineEvent(options: OpenOptions, event: NostrEvent): Examined {
  if (!outerSignatureValid(options, event)) return { outerValid: false };
  try {
    return { outerValid: true, opened: openEvent(options, event), malformed: null };
  } catch (error) {
    return { outerValid: true, opened: null, malformed: error instanceof Error ? error.message : String(error) };
  }
}

function outerSignatureValid(options: OpenOptions, event: NostrEvent): boolean {
  try {
    return verifyEventSignature(event as ProtocolEvent, options.secp);
  } catch {
    return false; // not hex, wrong lengths: not a genuine event
  }
}

/** The examination as the pipeline's two steps (`verifyOuter`, `open`). */
export function examinedSteps(examined: Examined): {
  verifyOuter: () => boolean;
  open: () => Promise<Opened | null>;
} {
  return {
    verifyOuter: () => examined.outerValid,
    open: async () => {
      if (!examined.outerValid) throw new Error('opened before the outer signature was verified');
      if (examined.malformed !== null) throw new Error(examined.malformed);
      return examined.opened;
    },
  };
}
