// How a reputation reads on screen, the same for a maker in the book, a counterparty and oneself:
// all zeros is a full-private user or one on their first day (the wire cannot tell them apart),
// days without votes is "not rated yet", otherwise the rating (the SDK's reputationStanding rule).
import { reputationStanding } from '@mostro/client';
import { t } from './i18n.svelte.ts';

export interface ReputationFigures {
  rating: number;
  reviews: number;
  operating_days: number;
}

/** `keys` names the catalogue entries for the three standings ({r} rating, {n} reviews, {d} days). */
export function reputationText(
  r: ReputationFigures | null,
  keys: { privateOrNew: string; unrated: string; rated: string },
): string {
  const standing = reputationStanding(r);
  if (!r || standing === 'private-or-new') return t(keys.privateOrNew);
  if (standing === 'unrated') return t(keys.unrated, { d: r.operating_days });
  return t(keys.rated, { r: r.rating.toFixed(1), n: r.reviews, d: r.operating_days });
}
