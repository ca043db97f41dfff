// NIP-69 order event (kind 38383) → OrderBookEntry, with the rules of clients.md V6: `fa` with two
// values is a range, an `fa` value with a '.' is ignored, `pm` values are kept as a list, an unknown
// `s` reads as pending. Returns null for anything that is not a well-formed order event.
import type { NostrEvent } from '@mostro/protocol';
import type { MakerRating, OrderBookEntry } from './filters.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = new Set(['pending', 'in-progress', 'success', 'canceled', 'completed-by-admin', 'expired']);
const INT = /^-?[0-9]+$/;

const tag = (e: NostrEvent, name: string): string[] | undefined => e.tags.find((t) => t[0] === name);

function parseRating(raw: string | undefined): MakerRating | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    const obj = Array.isArray(v) ? v[1] : v;
    if (!obj || typeof obj !== 'object') return null;
    const o = obj as Record<string, unknown>;
    const days = Number(o.days);
    const totalRating = Number(o.total_rating);
    const totalReviews = Number(o.total_reviews);
    if (![days, totalRating, totalReviews].every(Number.isFinite)) return null;
    return { days, totalRating, totalReviews };
  } catch {
    return null;
  }
}

export function parseOrderEvent(e: NostrEvent): OrderBookEntry | null {
  if (e.kind !== 38383) return null;
  const id = tag(e, 'd')?.[1];
  const kind = tag(e, 'k')?.[1];
  const fiatCode = tag(e, 'f')?.[1];
  if (!id || !UUID.test(id) || (kind !== 'buy' && kind !== 'sell') || !fiatCode) return null;
  const fa = (tag(e, 'fa') ?? [])
    .slice(1)
    .filter((v) => INT.test(v))
    .map(Number);
  const fiatAmount: OrderBookEntry['fiatAmount'] | null =
    fa.length >= 2 ? [fa[0] as number, fa[1] as number] : fa.length === 1 ? [fa[0] as number] : null;
  if (!fiatAmount) return null;
  const s = tag(e, 's')?.[1] ?? 'pending';
  const amt = tag(e, 'amt')?.[1] ?? '0';
  const premium = tag(e, 'premium')?.[1] ?? '0';
  const expires = tag(e, 'expires_at')?.[1] ?? tag(e, 'expiration')?.[1];
  return {
    id: id.toLowerCase(),
    kind,
    fiatCode,
    status: STATUSES.has(s) ? s : 'pending',
    amount: INT.test(amt) ? Number(amt) : 0,
    fiatAmount,
    paymentMethods: (tag(e, 'pm') ?? []).slice(1).filter((m) => m.length > 0),
    premium: INT.test(premium) ? Number(premium) : 0,
    rating: parseRating(tag(e, 'rating')?.[1]),
    expiresAt: expires && INT.test(expires) ? Number(expires) : null,
    createdAt: e.created_at,
    eventId: e.id,
  };
}
