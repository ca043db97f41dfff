// The most the node pays in routing for a buyer payout (§5.6): small payouts get a floor so that
// they can route at all, larger ones a fraction of the amount.

/** Routing-fee cap in whole sats for a payout of an order of `amountSats`. */
export function routingFeeCap(amountSats: number, maxRoutingFee: number): number {
  if (amountSats <= 1000) return Math.max(Math.floor(amountSats * 0.01), 10);
  return Math.floor(amountSats * maxRoutingFee);
}
