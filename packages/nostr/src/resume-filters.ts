// Filters for re-subscribing to a relay after a dropped connection: only what may have been
// missed, not the whole history again.
import type { Filter } from 'nostr-tools/filter';

/** NIP-59 seals and gift wraps carry created_at up to two days in the past (protocol §transport). */
export const GIFT_WRAP_BACKDATE_SECONDS = 2 * 24 * 60 * 60;
/** Clock skew and relay ingestion lag tolerated for ordinary events. */
export const DEFAULT_RESUME_MARGIN_SECONDS = 5 * 60;

/**
 * The margin to subtract from the resume point for these filters: gift wraps (1059) and seals (13)
 * are back-dated by up to two days, so a filter that can match them needs a margin that wide.
 */
export function resumeMarginFor(filters: Filter[]): number {
  const mayMatchBackdated = filters.some((f) => f.kinds === undefined || f.kinds.some((k) => k === 1059 || k === 13));
  return mayMatchBackdated ? GIFT_WRAP_BACKDATE_SECONDS + DEFAULT_RESUME_MARGIN_SECONDS : DEFAULT_RESUME_MARGIN_SECONDS;
}

export type ResumePoint = {
  /** Newest created_at this relay delivered on the subscription, if any. */
  lastSeen: number | undefined;
  /** Wall-clock second the connection was lost. */
  droppedAt: number;
  marginSeconds: number;
};

/**
 * `since` = min(last seen created_at, drop time) − margin, never earlier than the filter's own
 * `since`; `limit` is dropped because the window, not a count, bounds what is asked for again.
 */
export function resumeFilters(filters: Filter[], point: ResumePoint): Filter[] {
  const anchor = Math.min(point.lastSeen ?? point.droppedAt, point.droppedAt);
  const since = Math.max(0, Math.floor(anchor - point.marginSeconds));
  return filters.map(({ limit: _limit, ...filter }) => ({
    ...filter,
    since: filter.since === undefined ? since : Math.max(filter.since, since),
  }));
}
