// Sats and fees of an order, from the protocol's trade math and the node's settings and prices.
import { marketSats, partyFee } from '@mostro/protocol';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';

/** Sats for `fiatAmount` of `fiatCode` at the current price (§5.4); price_too_stale when stale. */
export function quoteSats(ctx: AppContext, fiatCode: string, fiatAmount: number, premium: number): number {
  const quote = ctx.quote(fiatCode);
  if (!quote.ok) throw new CantDo('price_too_stale');
  return marketSats(fiatAmount, quote.price, premium);
}

export function partyFeeFor(ctx: AppContext, amount: number): number {
  return partyFee(ctx.settings.mostro.fee, amount);
}
