// Order-book entries and the filters users ask for (clients.md §6.5): kind, fiat, status, payment
// method, amount, premium, maker rating. Pure functions over already-parsed entries.
import type { OrderKind } from '@mostro/protocol';
import { reputationStanding } from '../trade/machine.ts';

export interface MakerRating {
  days: number;
  totalRating: number;
  totalReviews: number;
}

export interface OrderBookEntry {
  id: string;
  kind: OrderKind;
  fiatCode: string;
  /** NIP-69 bucket: pending, in-progress, success, canceled, completed-by-admin. */
  status: string;
  /** Sats; 0 = market price. */
  amount: number;
  /** [fiat] for fixed orders, [min, max] for range orders. */
  fiatAmount: [number] | [number, number];
  paymentMethods: string[];
  premium: number;
  rating: MakerRating | null;
  expiresAt: number | null;
  createdAt: number;
  eventId: string;
}

export interface OrderFilter {
  kind?: OrderKind;
  /** Case-insensitive ISO code(s). */
  fiat?: string | string[];
  /** Default: pending. */
  status?: string;
  /** Matches when any of the order's methods contains this text (case-insensitive). */
  paymentMethod?: string;
  /** Fiat amount the user wants to trade: fixed orders must equal it, ranges must contain it. */
  fiatAmount?: number;
  minPremium?: number;
  maxPremium?: number;
  /** Applies to makers with ratings; see `withoutReputation` for the rest. */
  minRating?: number;
  minReviews?: number;
  /**
   * With `minRating`/`minReviews`: whether makers who have no rating to compare — private, new
   * today, or not rated yet (see `makerStanding`) — still match. Default false.
   */
  withoutReputation?: boolean;
}

/** The maker's reputation as the order event shows it (the same rule as a trade's counterparty). */
export function makerStanding(e: Pick<OrderBookEntry, 'rating'>): 'private-or-new' | 'unrated' | 'rated' {
  const r = e.rating;
  return reputationStanding(r && { rating: r.totalRating, reviews: r.totalReviews, operating_days: r.days });
}

export function matchesFilter(e: OrderBookEntry, f: OrderFilter): boolean {
  if (f.kind && e.kind !== f.kind) return false;
  if (f.fiat !== undefined) {
    const wanted = (Array.isArray(f.fiat) ? f.fiat : [f.fiat]).map((c) => c.toUpperCase());
    if (!wanted.includes(e.fiatCode.toUpperCase())) return false;
  }
  if ((f.status ?? 'pending') !== e.status) return false;
  if (f.paymentMethod) {
    const needle = f.paymentMethod.toLowerCase();
    if (!e.paymentMethods.some((m) => m.toLowerCase().includes(needle))) return false;
  }
  if (f.fiatAmount !== undefined) {
    const [lo, hi] = e.fiatAmount.length === 2 ? e.fiatAmount : [e.fiatAmount[0], e.fiatAmount[0]];
    if (f.fiatAmount < lo || f.fiatAmount > hi) return false;
  }
  if (f.minPremium !== undefined && e.premium < f.minPremium) return false;
  if (f.maxPremium !== undefined && e.premium > f.maxPremium) return false;
  if (f.minRating !== undefined || f.minReviews !== undefined) {
    if (makerStanding(e) !== 'rated') return f.withoutReputation === true;
    if (f.minRating !== undefined && (e.rating?.totalRating ?? 0) < f.minRating) return false;
    if (f.minReviews !== undefined && (e.rating?.totalReviews ?? 0) < f.minReviews) return false;
  }
  return true;
}

/** Keeps the newest revision per order id (ties: the larger event id, as NIP-01 replacement). */
export function newestPerId(entries: Iterable<OrderBookEntry>): Map<string, OrderBookEntry> {
  const out = new Map<string, OrderBookEntry>();
  for (const e of entries) {
    const have = out.get(e.id);
    if (!have || isNewer(e, have)) out.set(e.id, e);
  }
  return out;
}

export function isNewer(
  a: Pick<OrderBookEntry, 'createdAt' | 'eventId'>,
  b: Pick<OrderBookEntry, 'createdAt' | 'eventId'>,
): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.eventId < b.eventId);
}

export function sortEntries(entries: OrderBookEntry[]): OrderBookEntry[] {
  return [...entries].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
}
