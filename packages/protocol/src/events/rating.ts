// Kind 38384 — a user's rating aggregate (protocol.md §6.2, §9). Numbers are Rust `to_string()`
// forms: integers plain, total_rating as f64 Display (`3` for 3.0, `2.5`, `3.3333333333333335`).
// No `y` tag: mostrod does not add one here (the docs show one). Tag order of mostrod 0.20:
// d, expiration, total_reviews, total_rating, last_rating, max_rate, min_rate, [since], z, days.
import { ProtocolError } from '../message/errors.ts';
import { rustF64Display } from '../message/floats.ts';
import {
  checkInt,
  checkText,
  DAY_SECONDS,
  type EventTemplate,
  nextCreatedAt,
  parseFloatTag,
  parseIntTag,
  readEvent,
  requireTag,
  tagValue,
} from './common.ts';

export const RATING_EVENT_KIND = 38384;

export interface RatingEventData {
  /** `d`: a trade pubkey. mostrod uses the trade key of the user who SENT the rating (§9). */
  d: string;
  total_reviews: number;
  total_rating: number;
  last_rating: number;
  max_rate: number;
  min_rate: number;
  /** Whole days since the rated user's row was created (kept by mostrod 0.20 for one deprecation window). */
  days: number;
  /** UTC day start of the rated user's first sight (mostrod ≥ 0.20); absent when unknown. */
  since?: number;
  expiration: number | null;
  created_at: number;
}

export interface RatingEventInput extends Omit<RatingEventData, 'expiration' | 'created_at'> {
  now: number;
  previousCreatedAt?: number | null;
  /** NIP-40 lifetime (setting `rating_days`, default 90). */
  ratingDays?: number;
}

export function buildRatingEvent(input: RatingEventInput): EventTemplate {
  if (!Number.isFinite(input.total_rating)) {
    throw new ProtocolError('invalid_value', 'total_rating', 'expected a finite number');
  }
  const tags = [
    ['d', checkText(input.d, 'd')],
    ['expiration', checkInt(input.now + (input.ratingDays ?? 90) * DAY_SECONDS, 'expiration')],
    ['total_reviews', checkInt(input.total_reviews, 'total_reviews')],
    ['total_rating', rustF64Display(input.total_rating)],
    ['last_rating', checkInt(input.last_rating, 'last_rating')],
    ['max_rate', checkInt(input.max_rate, 'max_rate')],
    ['min_rate', checkInt(input.min_rate, 'min_rate')],
  ];
  if (input.since !== undefined) tags.push(['since', checkInt(input.since - (input.since % DAY_SECONDS), 'since')]);
  tags.push(['z', 'rating'], ['days', checkInt(input.days, 'days')]);
  return {
    kind: RATING_EVENT_KIND,
    tags,
    content: '',
    created_at: nextCreatedAt(input.previousCreatedAt, input.now),
  };
}

export function parseRatingEvent(event: unknown): RatingEventData {
  const { tags, created_at } = readEvent(event, RATING_EVENT_KIND);
  const int = (name: string) => parseIntTag(requireTag(tags, name), name);
  const expiration = tagValue(tags, 'expiration');
  const since = tagValue(tags, 'since');
  return {
    ...(since === undefined ? {} : { since: parseIntTag(since, 'since') }),
    d: requireTag(tags, 'd'),
    total_reviews: int('total_reviews'),
    total_rating: parseFloatTag(requireTag(tags, 'total_rating'), 'total_rating'),
    last_rating: int('last_rating'),
    max_rate: int('max_rate'),
    min_rate: int('min_rate'),
    days: int('days'),
    expiration: expiration === undefined ? null : parseIntTag(expiration, 'expiration'),
    created_at,
  };
}
