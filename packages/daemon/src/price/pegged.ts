// Pegged codes (reference-0.20.md §4.12, the `pegged` provider): USDT/USDC/DOC are priced as USD,
// BTC/LBTC/RBTC as 1e8 per BTC (their amounts are sats). Only the codes the operator lists in
// `[price].pegged` are priced so, and never by a market source.
import { peggedPrice } from '@mostro/protocol';
import type { PriceQuote } from '../app/context.ts';

export function quoteWithPegged(
  code: string,
  pegged: readonly string[],
  market: (code: string) => PriceQuote,
): PriceQuote {
  const upper = code.toUpperCase();
  if (!pegged.includes(upper)) return market(code);
  const usd = market('USD');
  const price = peggedPrice(upper, usd.ok ? usd.price : null);
  return price === null ? { ok: false, reason: 'price_too_stale' } : { ok: true, price };
}
