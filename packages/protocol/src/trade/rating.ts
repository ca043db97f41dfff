// Reputation aggregates (protocol.md §9).
//
// `updateRating` is a CORRECT running mean: after n votes total_rating is their arithmetic mean.
// The reference (mostro-core 0.17.3 `User::update_rating`, the same in 0.14.6; reference-0.20.md
// §1.4) is different, and `referenceUpdateRating` copies it exactly, for interop analysis only:
// the first vote is halved (5 → 2.5), and every later vote r is averaged in as
// total + (r − total) / n — the NEW vote, but on top of the halved start, so the aggregate stays
// below the true mean (by first/(2n)) for ever. Votes 5, 3, 4 give 2.5, 2.75, 3.1666… there and
// 5, 4, 4 here. (mostro-core 0.14.0 folded in the previous vote instead — 2.5, 3.75, 3.5 — which is
// what the 0.14.0 differential vectors showed; protocol.md §9 describes that older form.) A TS node
// that publishes `updateRating` values therefore shows different (correct) 38384 numbers than a
// Rust node would for the same history; min, max, last and the count agree.
import { ProtocolError } from '../message/errors.ts';

export const MIN_RATING = 1;
export const MAX_RATING = 5;

export interface RatingAggregate {
  total_reviews: number;
  /** f64 on the wire. */
  total_rating: number;
  last_rating: number;
  max_rate: number;
  min_rate: number;
}

export const EMPTY_RATING: Readonly<RatingAggregate> = Object.freeze({
  total_reviews: 0,
  total_rating: 0,
  last_rating: 0,
  max_rate: 0,
  min_rate: 0,
});

export function isValidRating(vote: number): boolean {
  return Number.isInteger(vote) && vote >= MIN_RATING && vote <= MAX_RATING;
}

function checkVote(vote: number): void {
  if (!isValidRating(vote)) throw new ProtocolError('out_of_range', 'rating_user', 'a rating must be an integer 1..5');
}

/** Correct incremental mean: mean_n = mean_{n−1} + (vote − mean_{n−1}) / n. */
export function updateRating(current: RatingAggregate, vote: number): RatingAggregate {
  checkVote(vote);
  const n = current.total_reviews + 1;
  if (n === 1) return { total_reviews: 1, total_rating: vote, last_rating: vote, max_rate: vote, min_rate: vote };
  return {
    total_reviews: n,
    total_rating: current.total_rating + (vote - current.total_rating) / n,
    last_rating: vote,
    max_rate: Math.max(current.max_rate, vote),
    min_rate: Math.min(current.min_rate, vote),
  };
}

/** mostro-core 0.17.3's `User::update_rating`, quirks included (see the module comment). Interop analysis only. */
export function referenceUpdateRating(current: RatingAggregate, vote: number): RatingAggregate {
  checkVote(vote);
  const n = current.total_reviews + 1;
  if (n === 1) return { total_reviews: 1, total_rating: vote / 2, last_rating: vote, max_rate: vote, min_rate: vote };
  return {
    total_reviews: n,
    total_rating: current.total_rating + (vote - current.total_rating) / n,
    last_rating: vote,
    max_rate: Math.max(current.max_rate, vote),
    min_rate: Math.min(current.min_rate, vote),
  };
}

/** Whole days since `since` (the `days` of 38384 events and of the order `rating` tag). */
export function daysSince(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 86_400));
}
