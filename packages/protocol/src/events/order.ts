// Kind 38383 — NIP-69 order events as mostrod publishes them (protocol.md §5.1, §6.1) and as
// clients read them (clients.md V6).
import type { OrderKind, OrderStatus } from '../message/enums.ts';
import { ORDER_KINDS } from '../message/enums.ts';
import { ProtocolError } from '../message/errors.ts';
import { serdeF64 } from '../message/floats.ts';
import { canonicalUuid } from '../message/uuid.ts';
import {
  checkInt,
  checkText,
  DAY_SECONDS,
  type EventTemplate,
  findTag,
  nextCreatedAt,
  parseIntTag,
  platformTag,
  readEvent,
  requireTag,
  tagValue,
} from './common.ts';

export const ORDER_EVENT_KIND = 38383;

/** The NIP-69 `s` buckets mostrod publishes. */
export const PUBLISHED_STATUSES = ['pending', 'in-progress', 'success', 'canceled', 'completed-by-admin'] as const;
export type PublishedStatus = (typeof PUBLISHED_STATUSES)[number];

/**
 * The `s` bucket a status change publishes (after mostrod `create_status_tags`), or null when the
 * change publishes no new revision. One deliberate difference: every state a taken order can be in
 * (waiting for the buyer's invoice or the seller's payment, active, fiat sent, settling, disputed)
 * is `in-progress` for both kinds. mostrod publishes `in-progress` only for a sell order waiting
 * for the buyer's invoice and a buy order waiting for the seller's payment, so a sell order taken
 * with an invoice stays `pending` on relays — the book then offers an order nobody can take.
 */
export function publishedStatus(_kind: OrderKind, status: OrderStatus): PublishedStatus | null {
  switch (status) {
    case 'pending':
    case 'waiting-taker-bond':
      return 'pending';
    case 'waiting-buyer-invoice':
    case 'waiting-payment':
    case 'active':
    case 'fiat-sent':
    case 'settled-hold-invoice':
    case 'dispute':
      return 'in-progress';
    case 'canceled':
    case 'canceled-by-admin':
    case 'cooperatively-canceled':
    case 'expired':
      return 'canceled';
    case 'success':
      return 'success';
    case 'completed-by-admin':
      return 'completed-by-admin';
    default:
      return null;
  }
}

/** The maker's reputation shown on pending revisions; zeros for full-privacy or unknown makers. */
export interface OrderRating {
  /** Deprecated in mostrod 0.20 (kept one window) in favour of `since`. */
  days: number;
  /** UTC day start of the maker's first-seen date (mostrod ≥ 0.20); absent for unknown makers. */
  since?: number;
  total_rating: number;
  total_reviews: number;
}

export interface OrderEventInput {
  order: {
    id: string;
    kind: OrderKind;
    status: OrderStatus;
    amount: number;
    fiat_code: string;
    fiat_amount: number;
    min_amount: number | null;
    max_amount: number | null;
    payment_method: string;
    premium: number;
    /** When the order was made: the `published_at` tag, the same in every revision. */
    created_at: number;
    expires_at: number;
  };
  /** Maker reputation (pending revisions only); null ⇒ zeros. */
  rating: OrderRating | null;
  mostroPubkey: string;
  /** Relay URLs of the node, for the `source` deep link. */
  relays: readonly string[];
  /** LND networks (`mainnet`, `regtest`…); null when unknown ⇒ `unknown`. */
  networks: readonly string[] | null;
  instanceName?: string | null;
  /** Unix seconds; used for `created_at` and non-pending `expiration`. */
  now: number;
  /** created_at of the previous revision of this order, to keep revisions strictly increasing. */
  previousCreatedAt?: number | null;
  /** NIP-40 lifetime of non-pending revisions (setting `order_days`, default 30). */
  orderDays?: number;
}

/**
 * `["rating", {...}]` as the JSON string mostrod puts in the tag: keys alphabetical (serde_json
 * without preserve_order), total_rating f64, `since` (day-truncated) only when known.
 */
export function ratingTagValue(rating: OrderRating | null): string {
  const r = rating ?? { days: 0, total_rating: 0, total_reviews: 0 };
  const since = r.since === undefined ? '' : `"since":${checkInt(r.since - (r.since % DAY_SECONDS), 'rating.since')},`;
  return `["rating",{"days":${checkInt(r.days, 'rating.days')},${since}"total_rating":${serdeF64(r.total_rating)},"total_reviews":${checkInt(r.total_reviews, 'rating.total_reviews')}}]`;
}

/** `mostro:<order id>?relays=<comma-joined>&mostro=<pubkey>` */
export function orderSourceLink(orderId: string, relays: readonly string[], mostroPubkey: string): string {
  return `mostro:${orderId}?relays=${relays.join(',')}&mostro=${mostroPubkey}`;
}

/**
 * The unsigned 38383 revision for an order's current state, or null when its status publishes
 * nothing (see publishedStatus). Tag order is mostrod 0.20's (`published_at` between `layer` and
 * `expires_at`). Pending revisions carry `rating` and `source`, show `fa` = [min,max] for range
 * orders and expire at `expires_at`.
 */
export function buildOrderEvent(input: OrderEventInput): EventTemplate | null {
  const { order } = input;
  if (!(ORDER_KINDS as readonly string[]).includes(order.kind)) {
    throw new ProtocolError('unknown_variant', 'order.kind', 'expected buy or sell');
  }
  const s = publishedStatus(order.kind, order.status);
  if (s === null) return null;
  const pending = s === 'pending';
  const id = canonicalUuid(order.id);
  if (id === null) throw new ProtocolError('invalid_value', 'order.id', 'expected a UUID');
  // "Pending" means the published bucket, so a range order racing for a taker bond
  // (waiting-taker-bond, shown as pending) keeps advertising its [min, max].
  const isRange = order.min_amount !== null && order.max_amount !== null;
  const fa =
    pending && isRange
      ? [
          checkInt(order.min_amount as number, 'order.min_amount'),
          checkInt(order.max_amount as number, 'order.max_amount'),
        ]
      : [checkInt(order.fiat_amount, 'order.fiat_amount')];
  const methods = checkText(order.payment_method, 'order.payment_method')
    .split(',')
    .filter((m) => m !== '');
  // NIP-40: a pending revision dies with the take window, so a lost terminal revision cannot leave
  // phantom liquidity on relays; other revisions are kept for `order_days`.
  const expiration =
    pending && order.expires_at > 0 ? order.expires_at : input.now + (input.orderDays ?? 30) * DAY_SECONDS;
  const tags: string[][] = [
    ['d', id],
    ['k', order.kind],
    ['f', checkText(order.fiat_code, 'order.fiat_code')],
    ['s', s],
    ['amt', checkInt(order.amount, 'order.amount')],
    ['fa', ...fa],
    ['pm', ...methods],
    ['premium', checkInt(order.premium, 'order.premium')],
  ];
  if (pending) {
    tags.push(['rating', ratingTagValue(input.rating)]);
    tags.push(['source', orderSourceLink(id, input.relays, input.mostroPubkey)]);
  }
  tags.push(
    ['network', input.networks && input.networks.length > 0 ? input.networks.join(',') : 'unknown'],
    ['layer', 'lightning'],
    ['published_at', checkInt(order.created_at, 'order.created_at')],
    ['expires_at', checkInt(order.expires_at, 'order.expires_at')],
    ['expiration', checkInt(expiration, 'expiration')],
    platformTag(input.instanceName),
    ['z', 'order'],
  );
  const created_at = nextCreatedAt(input.previousCreatedAt, input.now);
  return { kind: ORDER_EVENT_KIND, tags, content: '', created_at };
}

/** An order as a client reads it from a 38383 event. */
export interface OrderEventData {
  /** `d`: the order UUID (lowercase). */
  id: string;
  kind: OrderKind;
  fiat_code: string;
  /** NIP-69 bucket; an unknown `s` reads as `pending` (mostro-cli behaviour). */
  status: PublishedStatus;
  /** `amt` in sats; 0 = market price. */
  amount: number;
  /** 0 for range orders (then min/max are set) and when the `fa` value is not an integer. */
  fiat_amount: number;
  min_amount: number | null;
  max_amount: number | null;
  /** `pm` values joined with `,`. */
  payment_method: string;
  premium: number;
  rating: OrderRating | null;
  source: string | null;
  network: string | null;
  layer: string | null;
  /** When the order was made (`published_at`, mostrod ≥ 0.20); null on older daemons' events. */
  published_at: number | null;
  expires_at: number | null;
  expiration: number | null;
  instance_name: string | null;
  created_at: number;
  /** Event author (the Mostro node) when present. */
  pubkey: string | null;
  /** The mint of a Cashu node's order (trailing `cashu_mint_url` tag); null on Lightning nodes. */
  cashu_mint_url: string | null;
}

function parseRatingTag(value: string): OrderRating | null {
  // `["rating",{...}]`; anything else (e.g. the `{}` older daemons wrote) reads as no rating.
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ProtocolError('invalid_tag', 'tags.rating', 'rating tag is not JSON');
  }
  if (!Array.isArray(parsed) || parsed[0] !== 'rating') return null;
  const body = parsed[1] as Record<string, unknown> | null | undefined;
  if (typeof body !== 'object' || body === null) {
    throw new ProtocolError('invalid_tag', 'tags.rating', 'rating tag has no object');
  }
  const num = (key: string): number => {
    const v = body[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ProtocolError('invalid_tag', `tags.rating.${key}`, `expected a number`);
    }
    return v;
  };
  const rating: OrderRating = {
    days: num('days'),
    total_rating: num('total_rating'),
    total_reviews: num('total_reviews'),
  };
  if (body.since !== undefined) rating.since = num('since');
  return rating;
}

const intOrNull = (value: string | undefined): number | null => {
  if (value === undefined || !/^-?[0-9]+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

/** Reads a 38383 event (clients.md V6 rules). Throws ProtocolError on a missing/invalid d, k, f, amt. */
export function parseOrderEvent(event: unknown): OrderEventData {
  const e = readEvent(event, ORDER_EVENT_KIND);
  const { tags } = e;
  const d = requireTag(tags, 'd');
  const id = canonicalUuid(d);
  if (id === null) throw new ProtocolError('invalid_tag', 'tags.d', 'd is not a UUID');
  const k = requireTag(tags, 'k');
  if (!(ORDER_KINDS as readonly string[]).includes(k))
    throw new ProtocolError('invalid_tag', 'tags.k', `bad kind ${k}`);
  const s = tagValue(tags, 's');
  const status = (PUBLISHED_STATUSES as readonly string[]).includes(s ?? '') ? (s as PublishedStatus) : 'pending';
  let fiat_amount = 0;
  let min_amount: number | null = null;
  let max_amount: number | null = null;
  const fa = findTag(tags, 'fa') ?? [];
  if (fa.length === 2) {
    min_amount = intOrNull(fa[0]);
    max_amount = intOrNull(fa[1]);
  } else if (fa.length === 1 && !fa[0]!.includes('.')) {
    fiat_amount = parseIntTag(fa[0]!, 'fa');
  }
  const premium = tagValue(tags, 'premium');
  const rating = tagValue(tags, 'rating');
  const expiresAt = tagValue(tags, 'expires_at');
  const publishedAt = tagValue(tags, 'published_at');
  const expiration = tagValue(tags, 'expiration');
  return {
    id,
    kind: k as OrderKind,
    fiat_code: requireTag(tags, 'f'),
    status,
    amount: parseIntTag(requireTag(tags, 'amt'), 'amt'),
    fiat_amount,
    min_amount,
    max_amount,
    payment_method: (findTag(tags, 'pm') ?? []).join(','),
    premium: premium === undefined ? 0 : parseIntTag(premium, 'premium'),
    rating: rating === undefined ? null : parseRatingTag(rating),
    source: tagValue(tags, 'source') ?? null,
    network: tagValue(tags, 'network') ?? null,
    layer: tagValue(tags, 'layer') ?? null,
    published_at: publishedAt === undefined ? null : parseIntTag(publishedAt, 'published_at'),
    expires_at: expiresAt === undefined ? null : parseIntTag(expiresAt, 'expires_at'),
    expiration: expiration === undefined ? null : parseIntTag(expiration, 'expiration'),
    instance_name: findTag(tags, 'y')?.[1] ?? null,
    created_at: e.created_at,
    pubkey: e.pubkey ?? null,
    cashu_mint_url: tagValue(tags, 'cashu_mint_url') ?? null,
  };
}
