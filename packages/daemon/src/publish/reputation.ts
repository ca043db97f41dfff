// A user's reputation as the node shows it: in the `rating` tag of pending orders, in `peer`
// payloads, to solvers, in the user-info reply. A full-private or unknown user shows zeros and no
// `since` (the first day of the user's row; the serializer writes it as that UTC day's start).
import type { OrderRating, UserInfo } from '@mostro/protocol';
import type { Db } from '../db/open.ts';
import { getUser } from '../db/users.ts';

const DAY = 86_400;

export function reputationOf(db: Db, identity: string | null, now: number): UserInfo {
  const user = identity ? getUser(db, identity) : undefined;
  if (!user) return { rating: 0, reviews: 0, operating_days: 0 };
  return {
    rating: user.mean_rating,
    reviews: user.total_reviews,
    operating_days: Math.max(0, Math.floor((now - user.created_at) / DAY)),
    ...(user.created_at > 0 ? { since: user.created_at - (user.created_at % DAY) } : {}),
  };
}

/** The 38383 `rating` tag body; `since` (UTC day of first sight) as mostrod 0.20, omitted when unknown. */
export function orderRatingOf(db: Db, identity: string | null, now: number): OrderRating {
  const r = reputationOf(db, identity, now);
  const rating: OrderRating = { days: r.operating_days, total_rating: r.rating, total_reviews: r.reviews };
  const createdAt = identity ? getUser(db, identity)?.created_at : undefined;
  if (createdAt !== undefined && createdAt > 0) rating.since = createdAt - (createdAt % DAY);
  return rating;
}
