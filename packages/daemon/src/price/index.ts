export { aggregate, median } from './aggregate.ts';
export { FIXED_SOURCE_LABEL, fixedSource } from './fixed.ts';
export { priceManagerFromSettings, priceSourcesFromSettings } from './from-settings.ts';
export {
  PriceManager,
  type PriceManagerOptions,
  type PriceResult,
  type SourceStatus,
  type UpdateReport,
} from './manager.ts';
export { cleanPrices, type FiatPrices, type PriceSource } from './source.ts';
export { type YadioOptions, yadioSource } from './yadio.ts';
