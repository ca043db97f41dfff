// Combining quotes from several sources into one price: the median, after dropping outliers when
// there are enough quotes to tell what an outlier is.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The median of `values`; with three or more, quotes more than `outlierPct` percent away from the
 * first median are dropped and the median taken again. Returns the price and the values used.
 */
export function aggregate(values: readonly number[], outlierPct: number): { price: number; used: number[] } {
  const m = median(values);
  if (values.length < 3) return { price: m, used: [...values] };
  const kept = values.filter((v) => (Math.abs(v - m) / m) * 100 <= outlierPct);
  // The median itself is always within the threshold when the count is odd; with an even count
  // every quote may be off the (averaged) median, and then there is no majority to trust more.
  if (kept.length === 0) return { price: m, used: [...values] };
  return { price: median(kept), used: kept };
}
