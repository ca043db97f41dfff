// Fixed prices from the config: the embedded default, so a node runs without the internet.
// Simulated prices — not a market.
import { cleanPrices, type FiatPrices, type PriceSource } from './source.ts';

export const FIXED_SOURCE_LABEL = 'simulated prices — not a market';

export function fixedSource(prices: FiatPrices): PriceSource {
  const clean = Object.freeze(cleanPrices(prices));
  return {
    name: `fixed(${FIXED_SOURCE_LABEL})`,
    simulated: true,
    fetchPrices: async () => ({ ...clean }),
  };
}
