// Building the price manager the config describes.
import type { Clock } from '../clock.ts';
import type { Settings } from '../config/schema.ts';
import { fixedSource } from './fixed.ts';
import { PriceManager } from './manager.ts';
import type { PriceSource } from './source.ts';
import { yadioSource } from './yadio.ts';

export function priceSourcesFromSettings(price: Settings['price']): PriceSource[] {
  return price.sources.map((s) =>
    s.kind === 'yadio'
      ? yadioSource({ url: s.url, timeoutMs: price.provider_timeout_seconds * 1000 })
      : fixedSource(s.prices),
  );
}

/** A PriceManager for `settings.price`; the caller schedules `update()` every update_interval_seconds. */
export function priceManagerFromSettings(price: Settings['price'], clock?: Clock): PriceManager {
  return new PriceManager({
    sources: priceSourcesFromSettings(price),
    ...(clock ? { clock } : {}),
    maxStalenessSeconds: price.max_price_staleness_seconds,
    timeoutMs: price.provider_timeout_seconds * 1000,
    failureThreshold: price.provider_failure_threshold,
    // Skip a broken source for a few update rounds before trying it again.
    cooldownSeconds: price.update_interval_seconds * 3,
    outlierPct: price.outlier_threshold_pct,
  });
}
