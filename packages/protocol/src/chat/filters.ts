// Relay filters for chat (§8.2, §8.3, V6). The current format is fetched by author, never only by
// #p (anyone can tag pub(K_conv)); the legacy format can only be found by #p.
import type { ChatChannel } from './channel.ts';

export interface ChatFilter {
  kinds: number[];
  authors?: string[];
  '#p'?: string[];
  since?: number;
  limit?: number;
}

/** Current format: `{kinds:[14], authors:[pub(K_sign)], since, limit}`. Never advance `since` past the local clock. */
export function chatFilter(channel: ChatChannel, opts: { since?: number; limit?: number } = {}): ChatFilter {
  const signPub = channel.current?.signPub;
  if (!signPub) throw new Error('chatFilter: pub(K_sign) unknown on this channel (use disclosedChatFilter)');
  const f: ChatFilter = { kinds: [14], authors: [signPub], limit: opts.limit ?? 100 };
  if (opts.since !== undefined) f.since = opts.since;
  return f;
}

/** What a solver given only K_conv can ask for: `{kinds:[14], "#p":[pub(K_conv)]}`. */
export function disclosedChatFilter(convPublicKey: string, opts: { since?: number; limit?: number } = {}): ChatFilter {
  const f: ChatFilter = { kinds: [14], '#p': [convPublicKey] };
  if (opts.since !== undefined) f.since = opts.since;
  if (opts.limit !== undefined) f.limit = opts.limit;
  return f;
}

/** Legacy format: `{kinds:[1059], "#p":[shared pub], since: now − 7 d}` (outer times are moved back up to 2 days). */
export function legacyChatFilter(
  channel: ChatChannel,
  opts: { since?: number; limit?: number; now?: number } = {},
): ChatFilter {
  if (!channel.legacy) throw new Error('legacyChatFilter: no legacy key on this channel');
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const f: ChatFilter = { kinds: [1059], '#p': [channel.legacy.publicKey], since: opts.since ?? now - 7 * 86400 };
  if (opts.limit !== undefined) f.limit = opts.limit;
  return f;
}
