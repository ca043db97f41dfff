// Shape check for client→relay frames. @nostr-relay/core expects messages that were already
// validated (its docs point at a separate validator package), so every frame goes through here
// first: anything that is not a well-formed EVENT / REQ / CLOSE / AUTH becomes an error value
// and never reaches the relay logic.
import type { IncomingMessage } from '@nostr-relay/common';
import { z } from 'zod';

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));
const timestamp = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const eventSchema = z.object({
  id: hex(64),
  pubkey: hex(64),
  created_at: timestamp,
  kind: z.number().int().min(0).max(65535),
  tags: z.array(z.array(z.string()).max(64)).max(2000),
  content: z.string(),
  sig: hex(128),
});

// NIP-01 filter: known keys typed strictly, `#x` / `&x` single-letter tag queries as string arrays.
const filterSchema = z
  .object({
    ids: z.array(hex(64)).max(1000).optional(),
    authors: z.array(hex(64)).max(1000).optional(),
    kinds: z.array(z.number().int().min(0).max(65535)).max(100).optional(),
    since: timestamp.optional(),
    until: timestamp.optional(),
    limit: z.number().int().nonnegative().optional(),
    search: z.string().max(256).optional(),
  })
  .catchall(z.array(z.string()).max(1000))
  .refine((filter) => Object.keys(filter).every((key) => KNOWN_FILTER_KEYS.has(key) || /^[#&][a-zA-Z]$/.test(key)), {
    message: 'unknown filter key',
  });

const KNOWN_FILTER_KEYS = new Set(['ids', 'authors', 'kinds', 'since', 'until', 'limit', 'search']);

const subscriptionId = z.string().min(1).max(64);

const messageSchema = z.union([
  z.tuple([z.literal('EVENT'), eventSchema]),
  z.tuple([z.literal('REQ'), subscriptionId], filterSchema),
  z.tuple([z.literal('CLOSE'), subscriptionId]),
  z.tuple([z.literal('AUTH'), eventSchema]),
]);

export type ParsedIncoming = { ok: true; message: IncomingMessage } | { ok: false; reason: string };

/** Parse one websocket text frame. Never throws. */
export function parseIncomingMessage(frame: string): ParsedIncoming {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, reason: 'invalid: message is not JSON' };
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    const type = Array.isArray(json) && typeof json[0] === 'string' ? json[0] : 'unknown';
    return { ok: false, reason: `invalid: malformed ${type.slice(0, 16)} message` };
  }
  // REQ needs at least one filter (NIP-01); core would otherwise answer EOSE to nothing.
  if (parsed.data[0] === 'REQ' && parsed.data.length < 3) {
    return { ok: false, reason: 'invalid: REQ without filters' };
  }
  return { ok: true, message: parsed.data as IncomingMessage };
}
