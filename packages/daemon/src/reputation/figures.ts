// The arithmetic of reputation portability (reference-0.20.md §4.4), pure: an import adds its
// ratings to the user's aggregate as `reviews` votes of `rating`, and its reversal takes exactly
// those out again. The mean is kept as (native sum + imported sum) / count, so a reversal is exact
// even after native votes arrived in between.
import type { ReputationFigures } from '../db/reputation.ts';
import type { UserRow } from '../db/users.ts';

export interface ImportedFigures {
  reviews: number;
  ratingHundredths: number;
  /** UTC day start of the history the issuer vouches for. */
  since: number;
}

/** The ratings received on this node only (what an export may carry). */
export function nativeStats(user: UserRow): { reviews: number; average: number } {
  const reviews = Math.max(0, user.total_reviews - user.seeded_reviews);
  return { reviews, average: reviews > 0 ? user.native_rating_sum / reviews : 0 };
}

const meanOf = (user: UserRow, seededReviews: number, seededSum: number): number => {
  const n = nativeStats(user).reviews + seededReviews;
  return n > 0 ? (user.native_rating_sum + seededSum) / n : 0;
};

/** `min/max/last = round(rating)` only where still 0; `created_at = min(created_at, since)`. */
export function withImport(user: UserRow, imported: ImportedFigures): ReputationFigures {
  const rating = imported.ratingHundredths / 100;
  const seededReviews = user.seeded_reviews + imported.reviews;
  const seededSum = user.seeded_rating_sum + rating * imported.reviews;
  const rounded = Math.round(rating);
  const nativeCreatedAt = user.native_created_at ?? user.created_at;
  return {
    total_reviews: user.total_reviews + imported.reviews,
    mean_rating: meanOf(user, seededReviews, seededSum),
    last_rating: user.last_rating || rounded,
    min_rating: user.min_rating || rounded,
    max_rating: user.max_rating || rounded,
    created_at: user.created_at > 0 ? Math.min(user.created_at, imported.since) : imported.since,
    seeded_reviews: seededReviews,
    seeded_rating_sum: seededSum,
    native_created_at: nativeCreatedAt,
  };
}

/**
 * The user without one import; `remainingSince` is the earliest `since` of the imports left (null:
 * none), so `created_at` goes back to the native date or the earliest remaining import.
 */
export function withoutImport(
  user: UserRow,
  imported: ImportedFigures,
  remainingSince: number | null,
): ReputationFigures {
  const rating = imported.ratingHundredths / 100;
  const seededReviews = Math.max(0, user.seeded_reviews - imported.reviews);
  const seededSum = seededReviews === 0 ? 0 : user.seeded_rating_sum - rating * imported.reviews;
  const total = user.total_reviews - (user.seeded_reviews - seededReviews);
  const nativeCreatedAt = user.native_created_at ?? user.created_at;
  const createdAt = remainingSince === null ? nativeCreatedAt : Math.min(nativeCreatedAt, remainingSince);
  const none = total === 0;
  return {
    total_reviews: total,
    mean_rating: meanOf(user, seededReviews, seededSum),
    last_rating: none ? 0 : user.last_rating,
    min_rating: none ? 0 : user.min_rating,
    max_rating: none ? 0 : user.max_rating,
    created_at: createdAt,
    seeded_reviews: seededReviews,
    seeded_rating_sum: seededSum,
    native_created_at: nativeCreatedAt,
  };
}
