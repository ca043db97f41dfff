// How old (or how far in the future) a message may be, judged against the moment it reached the
// node — never against the moment the node got round to it, so a backlog cannot turn honest
// requests stale. The same bounds decide how long processed ids must be kept: an id may be
// forgotten only once its event would be refused by age anyway, so pruning never enables a replay.

/** A message older than this when it arrived is stale (protocol.md §1.7 step 6). */
export const FRESHNESS_SECONDS = 10;
/** Clocks drift; a message dated further ahead than this is refused (the reference has no bound). */
export const MAX_FUTURE_SECONDS = 60;
/** Slack on top of the acceptance window before a processed id may be pruned. */
const RETENTION_MARGIN_SECONDS = 86_400;

export type Freshness = 'fresh' | 'stale' | 'future';

export function judgeFreshness(createdAt: number, receivedAt: number, maxAgeSeconds = FRESHNESS_SECONDS): Freshness {
  if (createdAt < receivedAt - maxAgeSeconds) return 'stale';
  if (createdAt > receivedAt + MAX_FUTURE_SECONDS) return 'future';
  return 'fresh';
}

/**
 * How long a processed id must be kept when messages are accepted up to `maxAgeSeconds` old. An event
 * processed at time P was dated at most P + MAX_FUTURE_SECONDS, so from P + MAX_FUTURE_SECONDS +
 * maxAgeSeconds on it is refused by age; the margin covers clock steps between arrival and marking.
 */
export function processedRetentionSeconds(maxAgeSeconds = FRESHNESS_SECONDS): number {
  return maxAgeSeconds + MAX_FUTURE_SECONDS + RETENTION_MARGIN_SECONDS;
}
