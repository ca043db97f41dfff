// A price source: anything that can say how much fiat one bitcoin costs, per currency.

/** Fiat units per 1 BTC, keyed by uppercase currency code. */
export type FiatPrices = Record<string, number>;

export interface PriceSource {
  /** Shown in logs and status, e.g. `yadio(https://api.yadio.io)`. */
  readonly name: string;
  /** True for prices that are not a market (the embedded default): the banner and status say so. */
  readonly simulated: boolean;
  /** Current prices. Rejects on any failure; honours `signal` to stop early. */
  fetchPrices(signal?: AbortSignal): Promise<FiatPrices>;
}

/** Keeps positive finite prices with a plausible currency code, uppercased. */
export function cleanPrices(raw: Record<string, unknown>): FiatPrices {
  const out: FiatPrices = {};
  for (const [code, value] of Object.entries(raw)) {
    if (/^[A-Za-z]{3,5}$/.test(code) && typeof value === 'number' && Number.isFinite(value) && value > 0) {
      out[code.toUpperCase()] = value;
    }
  }
  return out;
}
