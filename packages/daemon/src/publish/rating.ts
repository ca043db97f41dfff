// Kind 38384 rating events (protocol.md §6.2, §9).
//
// Publication is batched, as in the reference: an accepted rate-user queues its event (durably, in
// settings_kv) and a job publishes the queue every `user_rates_sent_interval_seconds`. Why not at
// once: the event appears on public relays, and published seconds after the order's `success`
// revision it would tie that order to the rated user's aggregate (which their pending orders also
// show). A batch mixes the ratings of an interval. Each event carries the rated user's aggregate as
// it is when published.
//
// `d` tag: the trade key of the user who SENT the rating — the reference's observed behaviour (its
// code calls it the counterpart's, but takes the sender's own key). We copy it for wire
// compatibility; the key is a one-trade key, so `d` is unique per rating and nothing is replaced.
import { buildRatingEvent, daysSince, type EventTemplate } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { deleteKv, listKv, setKv } from '../db/kv.ts';
import type { Db } from '../db/open.ts';
import { getUser, type UserRow } from '../db/users.ts';

const QUEUE_PREFIX = 'rating-queue/';

export interface QueuedRating {
  /** The `d` tag: the rater's trade key. */
  d: string;
  /** Identity whose aggregate the event shows. */
  rated: string;
}

/** The 38384 template for `user`'s aggregate (numbers in Rust to_string forms, by the builder). */
export function ratingTemplate(d: string, user: UserRow, now: number, ratingDays: number): EventTemplate {
  return buildRatingEvent({
    d,
    total_reviews: user.total_reviews,
    total_rating: user.mean_rating,
    last_rating: user.last_rating,
    max_rate: user.max_rating,
    min_rate: user.min_rating,
    days: daysSince(user.created_at, now),
    ...(user.created_at > 0 ? { since: user.created_at } : {}),
    now,
    ratingDays,
  });
}

/** Queues a rating event (call in the transaction that records the vote). */
export function queueRating(db: Db, rating: QueuedRating, now: number): void {
  setKv(db, `${QUEUE_PREFIX}${rating.d}`, rating, now);
}

export function queuedRatings(db: Db): QueuedRating[] {
  return Object.values(listKv(db, QUEUE_PREFIX)) as QueuedRating[];
}

/**
 * The job: publishes every queued rating, removing each once it was handed to the relays. Returns
 * how many were published.
 */
export async function publishQueuedRatings(ctx: AppContext): Promise<number> {
  let published = 0;
  for (const queued of queuedRatings(ctx.db)) {
    const user = getUser(ctx.db, queued.rated);
    if (user && user.total_reviews > 0) {
      await ctx.publish.rating(queued.d, user);
      published++;
    }
    deleteKv(ctx.db, `${QUEUE_PREFIX}${queued.d}`);
  }
  return published;
}
