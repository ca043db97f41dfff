// Unwrapping an inbound event with the node key, in either transport, narrowed to what the intake
// needs. Not addressed to us → null; addressed to us but malformed → throws (the intake drops it).
// Only for events whose outer signature the intake has already verified.
import {
  type ConversationKeyCache,
  type NostrEvent as ProtocolEvent,
  type SecpBackend,
  unwrapMessage,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import type { Opened } from './pipeline.ts';

export interface OpenOptions {
  nodeSecretKey: Uint8Array;
  nodePubkey: string;
  secp: SecpBackend;
  convKeyCache: ConversationKeyCache;
}

export class MalformedMessage extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'MalformedMessage';
  }
}

export function openWith(options: OpenOptions): (event: NostrEvent) => Promise<Opened | null> {
  return async (event) => openEvent(options, event);
}

/** The same, synchronously (the crypto worker's form). */
export function openEvent(options: OpenOptions, event: NostrEvent): Opened | null {
  const result = unwrapMessage(event as ProtocolEvent, options.nodeSecretKey, {
    secp: options.secp,
    convKeyCache: options.convKeyCache,
    myPublicKey: options.nodePubkey,
    // The pipeline verified this very event before opening it.
    outerVerified: true,
  });
  if (result === null) return null;
  if (!result.ok) throw new MalformedMessage(result.code, result.detail);
  const verdict = (v: 'valid' | 'absent' | 'invalid'): boolean | null => (v === 'absent' ? null : v === 'valid');
  return {
    transport: result.transport,
    wrapper: result.message.wrapper,
    message: result.message.kind,
    sender: result.sender,
    identity: result.identity,
    createdAt: result.createdAt,
    tradeSignature: result.tradeSignature,
    tradeSignatureValid: verdict(result.checks.tradeSignature),
    identityProofValid: verdict(result.checks.identityProof),
  };
}
