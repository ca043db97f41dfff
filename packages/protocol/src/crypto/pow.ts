// NIP-13 proof of work that keeps the event's created_at. (nostr-tools' minePow rewrites
// created_at to the wall clock, which would undo the NIP-59 timestamp tweak and break the
// "outer time = inner time" rule of the chat envelope.)
import type { UnsignedEvent } from 'nostr-tools/core';
import { getPow } from 'nostr-tools/nip13';
import { getEventHash } from 'nostr-tools/pure';

/** Appends `["nonce", n, difficulty]` and searches n until the id has `difficulty` leading zero bits. */
export function minePow<T extends UnsignedEvent>(unsigned: T, difficulty: number): T & { id: string } {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 256)
    throw new RangeError('pow difficulty must be in [0, 256]');
  const tag = ['nonce', '0', String(difficulty)];
  const event = { ...unsigned, tags: [...unsigned.tags, tag] };
  for (let n = 0; ; n++) {
    tag[1] = String(n);
    const id = getEventHash(event);
    if (getPow(id) >= difficulty) return { ...event, id };
  }
}

export { getPow };
