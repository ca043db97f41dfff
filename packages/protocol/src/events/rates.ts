// Kind 30078 `d=mostro-rates` — the node's exchange rates (protocol.md §6.7): content
// `{"BTC":{"USD":50000.0,…}}` (fiat per 1 BTC, serde f64 form), tags d, published_at, source, expiration.
import { ProtocolError } from '../message/errors.ts';
import { serdeF64 } from '../message/floats.ts';
import { jsonString } from '../message/json.ts';
import { checkInt, checkText, type EventTemplate, optionalInt, readEvent, requireTag, tagValue } from './common.ts';

export const RATES_EVENT_KIND = 30078;
export const RATES_D_TAG = 'mostro-rates';

export interface RatesEventInput {
  /** Fiat code → price of 1 BTC, in output order. */
  rates: Readonly<Record<string, number>>;
  publishedAt: number;
  /** Provider ids. */
  source: string;
  /** Price update interval; expiration = now + min(2 × interval, 3600). */
  updateIntervalSeconds: number;
  now: number;
}

export function buildRatesEvent(input: RatesEventInput): EventTemplate {
  const entries = Object.entries(input.rates).map(([code, price]) => {
    if (!Number.isFinite(price)) throw new ProtocolError('invalid_value', `rates.${code}`, 'price must be finite');
    return `${jsonString(code, `rates.${code}`)}:${serdeF64(price)}`;
  });
  const ttl = Math.min(2 * input.updateIntervalSeconds, 3600);
  return {
    kind: RATES_EVENT_KIND,
    tags: [
      ['d', RATES_D_TAG],
      ['published_at', checkInt(input.publishedAt, 'publishedAt')],
      ['source', checkText(input.source, 'source')],
      ['expiration', checkInt(input.now + ttl, 'expiration')],
    ],
    content: `{"BTC":{${entries.join(',')}}}`,
    created_at: input.now,
  };
}

export interface RatesEventData {
  /** Fiat code → price of 1 BTC. */
  rates: Record<string, number>;
  published_at: number | null;
  source: string | null;
  expiration: number | null;
  created_at: number;
  pubkey: string | null;
}

export function parseRatesEvent(event: unknown): RatesEventData {
  const e = readEvent(event, RATES_EVENT_KIND);
  if (requireTag(e.tags, 'd') !== RATES_D_TAG) throw new ProtocolError('invalid_tag', 'tags.d', 'not mostro-rates');
  let content: unknown;
  try {
    content = JSON.parse(e.content);
  } catch {
    throw new ProtocolError('invalid_content', 'content', 'content is not JSON');
  }
  const btc = (content as { BTC?: unknown } | null)?.BTC;
  if (
    typeof content !== 'object' ||
    content === null ||
    typeof btc !== 'object' ||
    btc === null ||
    Array.isArray(btc)
  ) {
    throw new ProtocolError('invalid_content', 'content.BTC', 'expected {"BTC":{<fiat>:<price>}}');
  }
  const rates = Object.fromEntries(
    Object.entries(btc).map(([code, price]) => {
      if (typeof price !== 'number' || !Number.isFinite(price)) {
        throw new ProtocolError('invalid_content', `content.BTC.${code}`, 'price must be a number');
      }
      return [code, price];
    }),
  );
  return {
    rates,
    published_at: optionalInt(e.tags, 'published_at'),
    source: tagValue(e.tags, 'source') ?? null,
    expiration: optionalInt(e.tags, 'expiration'),
    created_at: e.created_at,
    pubkey: e.pubkey ?? null,
  };
}
