// A Yadio-compatible JSON API (the production default): `GET {url}/exrates/BTC` answers
// `{"BTC": {"USD": 97000.5, "EUR": …}, "base": "BTC", "timestamp": …}`.
import { z } from 'zod';
import { cleanPrices, type FiatPrices, type PriceSource } from './source.ts';

const responseSchema = z.object({ BTC: z.record(z.string(), z.unknown()) });

export interface YadioOptions {
  /** Base URL, e.g. https://api.yadio.io */
  url: string;
  /** Abort the request after this long. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export function yadioSource(options: YadioOptions): PriceSource {
  const base = options.url.replace(/\/+$/, '');
  const endpoint = `${base}/exrates/BTC`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    name: `yadio(${base})`,
    simulated: false,
    async fetchPrices(signal?: AbortSignal): Promise<FiatPrices> {
      const timeout = AbortSignal.timeout(timeoutMs);
      const res = await fetchFn(endpoint, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`${endpoint}: HTTP ${res.status}`);
      const parsed = responseSchema.safeParse(await res.json());
      if (!parsed.success) throw new Error(`${endpoint}: unexpected response shape`);
      const prices = cleanPrices(parsed.data.BTC);
      if (Object.keys(prices).length === 0) throw new Error(`${endpoint}: no usable prices`);
      return prices;
    },
  };
}
