// Catch-up after a restart or reconnect (issue 13, item 3). The node remembers, per relay, when it
// last processed an event from that relay (its high-water mark, persisted) and subscribes from there
// minus a margin, so requests a relay stored while the node was down are fetched. Such stored
// requests are older than the live freshness window (10 s), so an event that arrives within the
// first seconds after a relay (re)connects — the relay's stored backlog — may be up to
// `nostr.catch_up_seconds` old; later arrivals are live traffic and keep the 10 s rule. Processed
// ids are kept longer than the catch-up age (node/jobs.ts: processedRetentionSeconds), so a stored event that was already
// handled is a replay and dropped.
import { GIFT_WRAP_BACKDATE_SECONDS } from '@mostro/nostr';
import type { Filter } from 'nostr-tools/filter';
import type { Clock } from '../clock.ts';
import { getKv, setKv } from '../db/kv.ts';
import type { Db } from '../db/open.ts';

/** Asked again before the high-water mark: events a relay stored late, clock steps, the last flush. */
export const CATCH_UP_MARGIN_SECONDS = 60;
/** How long after a (re)connection arrivals count as the relay's stored backlog. */
export const BACKLOG_GRACE_SECONDS = 30;
const LIVE_MAX_AGE_SECONDS = 10;

const hwmKey = (url: string) => `relay.hwm:${url}`;

export interface CatchUp {
  /** The node's DM subscription, starting where processing stopped on the relays (≤ catch-up age). */
  filters(nodePubkey: string): Filter[];
  /** A relay connected (first time or again). */
  connected(url: string): void;
  /** The oldest (seconds) an event received at `receivedAt` from `url` may be. */
  maxAgeFor(url: string, receivedAt: number): number;
  /** An event from `url` received at `receivedAt` has been processed: move the mark. */
  processed(url: string, receivedAt: number): void;
  highWaterMark(url: string): number | undefined;
}

export function createCatchUp(deps: { db: Db; clock: Clock; seconds: number; relays: readonly string[] }): CatchUp {
  const connectedAt = new Map<string, number>();
  const marks = new Map<string, number>();
  for (const url of deps.relays) {
    const mark = getKv<number>(deps.db, hwmKey(url));
    if (typeof mark === 'number') marks.set(url, mark);
  }
  return {
    filters(nodePubkey) {
      const now = deps.clock.now();
      const floor = now - deps.seconds;
      // One subscription for all relays: from the earliest relay's mark (a superset for the others;
      // processed ids make the overlap harmless). A relay never seen starts at the catch-up age.
      const since = Math.max(
        floor,
        Math.min(now, ...deps.relays.map((url) => (marks.get(url) ?? floor) - CATCH_UP_MARGIN_SECONDS)),
      );
      return [
        { kinds: [14], '#p': [nodePubkey], since: Math.min(since, now - LIVE_MAX_AGE_SECONDS) },
        // Gift wraps are dated up to two days in the past (NIP-59): ask from that much earlier.
        { kinds: [1059], '#p': [nodePubkey], since: since - GIFT_WRAP_BACKDATE_SECONDS },
      ];
    },
    connected(url) {
      connectedAt.set(url, deps.clock.now());
    },
    maxAgeFor(url, receivedAt) {
      const since = connectedAt.get(url);
      const inBacklog = since === undefined || receivedAt - since <= BACKLOG_GRACE_SECONDS;
      return inBacklog ? Math.max(LIVE_MAX_AGE_SECONDS, deps.seconds) : LIVE_MAX_AGE_SECONDS;
    },
    processed(url, receivedAt) {
      if ((marks.get(url) ?? 0) >= receivedAt) return; // at most one write per second per relay
      marks.set(url, receivedAt);
      setKv(deps.db, hwmKey(url), receivedAt, deps.clock.now());
    },
    highWaterMark: (url) => marks.get(url),
  };
}
