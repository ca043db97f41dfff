// The price manager: polls every source (each with a timeout and a circuit breaker), keeps the last
// quote of each source per currency with the time it was fetched, and answers price questions from
// the quotes that are still fresh. No fresh quote → `price_too_stale`, never an old price.
import { type Clock, systemClock } from '../clock.ts';
import { aggregate } from './aggregate.ts';
import type { PriceSource } from './source.ts';

export type PriceResult =
  | {
      ok: true;
      /** Fiat per 1 BTC. */
      price: number;
      /** When the oldest quote used was fetched (unix seconds). */
      at: number;
      /** Names of the sources whose quotes were used. */
      sources: string[];
      /** True if any quote used is simulated (not a market). */
      simulated: boolean;
    }
  | { ok: false; reason: 'price_too_stale' | 'unknown_currency' };

export interface PriceManagerOptions {
  sources: readonly PriceSource[];
  clock?: Clock;
  /** A quote older than this is not used. */
  maxStalenessSeconds: number;
  /** Per-source time limit of one update. */
  timeoutMs?: number;
  /** Consecutive failures after which a source is skipped for `cooldownSeconds`. */
  failureThreshold?: number;
  cooldownSeconds?: number;
  /** With ≥ 3 quotes, drop those this many percent away from the median. */
  outlierPct?: number;
}

export interface SourceStatus {
  name: string;
  simulated: boolean;
  consecutiveFailures: number;
  /** The breaker is open (the source is skipped) until this unix time; 0 = closed. */
  openUntil: number;
  lastSuccessAt: number | null;
  lastError: string | null;
}

export interface UpdateReport {
  updated: string[];
  failed: { source: string; error: string }[];
  /** Sources skipped because their breaker is open. */
  skipped: string[];
}

interface SourceState {
  source: PriceSource;
  status: SourceStatus;
  quotes: Map<string, { price: number; at: number }>;
}

export class PriceManager {
  readonly #clock: Clock;
  readonly #states: SourceState[];
  readonly #maxStaleness: number;
  readonly #timeoutMs: number;
  readonly #threshold: number;
  readonly #cooldown: number;
  readonly #outlierPct: number;
  #updating: Promise<UpdateReport> | null = null;

  constructor(options: PriceManagerOptions) {
    if (options.sources.length === 0) throw new RangeError('PriceManager needs at least one source');
    this.#clock = options.clock ?? systemClock;
    this.#maxStaleness = options.maxStalenessSeconds;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#threshold = options.failureThreshold ?? 3;
    this.#cooldown = options.cooldownSeconds ?? 300;
    this.#outlierPct = options.outlierPct ?? 5;
    this.#states = options.sources.map((source) => ({
      source,
      quotes: new Map(),
      status: {
        name: source.name,
        simulated: source.simulated,
        consecutiveFailures: 0,
        openUntil: 0,
        lastSuccessAt: null,
        lastError: null,
      },
    }));
  }

  /** Polls every source whose breaker is closed. Concurrent calls share one update. */
  update(): Promise<UpdateReport> {
    this.#updating ??= this.#update().finally(() => {
      this.#updating = null;
    });
    return this.#updating;
  }

  async #update(): Promise<UpdateReport> {
    const report: UpdateReport = { updated: [], failed: [], skipped: [] };
    const now = this.#clock.now();
    await Promise.all(
      this.#states.map(async (state) => {
        const st = state.status;
        if (st.openUntil > now) {
          report.skipped.push(st.name);
          return;
        }
        try {
          const prices = await this.#fetchWithTimeout(state.source);
          const at = this.#clock.now();
          if (Object.keys(prices).length === 0) throw new Error('no prices');
          for (const [code, price] of Object.entries(prices)) state.quotes.set(code.toUpperCase(), { price, at });
          st.consecutiveFailures = 0;
          st.openUntil = 0;
          st.lastSuccessAt = at;
          st.lastError = null;
          report.updated.push(st.name);
        } catch (err) {
          st.consecutiveFailures++;
          st.lastError = err instanceof Error ? err.message : String(err);
          // Half-open after the cooldown: one more failure opens the breaker again at once.
          if (st.consecutiveFailures >= this.#threshold) st.openUntil = this.#clock.now() + this.#cooldown;
          report.failed.push({ source: st.name, error: st.lastError });
        }
      }),
    );
    return report;
  }

  async #fetchWithTimeout(source: PriceSource) {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([source.fetchPrices(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The price of 1 BTC in `fiatCode` from the fresh quotes (median of the sources). */
  getPrice(fiatCode: string): PriceResult {
    const code = fiatCode.toUpperCase();
    const now = this.#clock.now();
    const fresh: { price: number; at: number; state: SourceState }[] = [];
    let known = false;
    for (const state of this.#states) {
      const q = state.quotes.get(code);
      if (!q) continue;
      known = true;
      if (now - q.at <= this.#maxStaleness) fresh.push({ ...q, state });
    }
    if (fresh.length === 0) {
      // Never fetched anything at all is a price problem too, not an unknown currency.
      const anyQuote = this.#states.some((s) => s.quotes.size > 0);
      return { ok: false, reason: known || !anyQuote ? 'price_too_stale' : 'unknown_currency' };
    }
    const { price, used } = aggregate(
      fresh.map((f) => f.price),
      this.#outlierPct,
    );
    const usedQuotes = fresh.filter((f) => used.includes(f.price));
    return {
      ok: true,
      price,
      at: Math.min(...usedQuotes.map((f) => f.at)),
      sources: usedQuotes.map((f) => f.state.source.name),
      simulated: usedQuotes.some((f) => f.state.source.simulated),
    };
  }

  /** Currencies with at least one fresh quote. */
  currencies(): string[] {
    const now = this.#clock.now();
    const codes = new Set<string>();
    for (const s of this.#states)
      for (const [code, q] of s.quotes) if (now - q.at <= this.#maxStaleness) codes.add(code);
    return [...codes].sort();
  }

  sourceStatus(): SourceStatus[] {
    return this.#states.map((s) => ({ ...s.status }));
  }

  /** True if every source is simulated (the node must say that no market price is used). */
  get simulated(): boolean {
    return this.#states.every((s) => s.source.simulated);
  }
}
