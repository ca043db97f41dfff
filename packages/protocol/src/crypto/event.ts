// Nostr events (NIP-01) signed and verified through a SecpBackend; the id is nostr-tools'
// getEventHash so serialization is never hand-rolled.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { EventTemplate, Event as NostrEvent, UnsignedEvent } from 'nostr-tools/core';
import { getEventHash } from 'nostr-tools/pure';
import { nobleSecp, type SecpBackend } from './secp.ts';

export type { EventTemplate, NostrEvent, UnsignedEvent };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

export const isHex64 = (s: unknown): s is string => typeof s === 'string' && HEX64.test(s);

/** Structural guard for untrusted input: the fields NIP-01 requires, with their types. */
export function isNostrEvent(x: unknown): x is NostrEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    isHex64(e.id) &&
    isHex64(e.pubkey) &&
    typeof e.sig === 'string' &&
    HEX128.test(e.sig) &&
    Number.isSafeInteger(e.kind) &&
    (e.kind as number) >= 0 &&
    Number.isSafeInteger(e.created_at) &&
    (e.created_at as number) >= 0 &&
    typeof e.content === 'string' &&
    isTags(e.tags)
  );
}

/**
 * Guard plus copy into a plain object: later code (nostr-tools' serializer) may rely on
 * Object.prototype, which a hostile or exotic input (null prototype, getters) does not honour.
 */
export function readNostrEvent(x: unknown): NostrEvent | null {
  if (!isNostrEvent(x)) return null;
  return {
    id: x.id,
    pubkey: x.pubkey,
    created_at: x.created_at,
    kind: x.kind,
    tags: x.tags.map((t) => [...t]),
    content: x.content,
    sig: x.sig,
  };
}

/** An unsigned event (rumor): like an event but `sig` absent and `id` optional. */
export function isUnsignedEvent(x: unknown): x is UnsignedEvent & { id?: string } {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    (e.id === undefined || isHex64(e.id)) &&
    isHex64(e.pubkey) &&
    Number.isSafeInteger(e.kind) &&
    Number.isSafeInteger(e.created_at) &&
    typeof e.content === 'string' &&
    isTags(e.tags)
  );
}

function isTags(t: unknown): t is string[][] {
  return Array.isArray(t) && t.every((tag) => Array.isArray(tag) && tag.every((v) => typeof v === 'string'));
}

/** Sign an event template with `secretKey` (pubkey, id and sig filled in). */
export function signEvent(
  template: EventTemplate,
  secretKey: Uint8Array,
  opts: { secp?: SecpBackend; aux?: Uint8Array } = {},
): NostrEvent {
  const secp = opts.secp ?? nobleSecp;
  const unsigned: UnsignedEvent = { ...template, pubkey: bytesToHex(secp.getPublicKey(secretKey)) };
  return signUnsigned(unsigned, secretKey, opts);
}

/** Sign an event whose pubkey (and possibly PoW nonce tag) are already set. */
export function signUnsigned(
  unsigned: UnsignedEvent,
  secretKey: Uint8Array,
  opts: { secp?: SecpBackend; aux?: Uint8Array } = {},
): NostrEvent {
  const secp = opts.secp ?? nobleSecp;
  const id = getEventHash(unsigned);
  const sig = bytesToHex(secp.schnorrSign(hexToBytes(id), secretKey, opts.aux));
  return {
    kind: unsigned.kind,
    pubkey: unsigned.pubkey,
    created_at: unsigned.created_at,
    tags: unsigned.tags,
    content: unsigned.content,
    id,
    sig,
  };
}

/** True when `id` is the NIP-01 hash of the event. Never throws on well-typed input. */
export function eventIdMatches(event: UnsignedEvent & { id?: string }): boolean {
  return event.id === getEventHash(event);
}

/** id matches the content and the signature verifies against `pubkey`. */
export function verifyEventSignature(event: NostrEvent, secp: SecpBackend = nobleSecp): boolean {
  if (!eventIdMatches(event)) return false;
  return secp.schnorrVerify(hexToBytes(event.sig), hexToBytes(event.id), hexToBytes(event.pubkey));
}
