// The relay pool: browser-safe core (pass the WebSocket class; Node callers pass `ws`).
export type { Filter } from 'nostr-tools/filter';
export type { NostrEvent } from 'nostr-tools/pure';
export { type BackoffOptions, backoffDelay } from './backoff.ts';
export {
  type PoolSubscription,
  type PublishFailure,
  type PublishResult,
  RelayPool,
  type RelayPoolOptions,
  type RelayStatus,
  type StatusChange,
  type SubscribeHandlers,
  type SubscribeOptions,
  type WebSocketImplementation,
} from './pool.ts';
export {
  DEFAULT_RESUME_MARGIN_SECONDS,
  GIFT_WRAP_BACKDATE_SECONDS,
  type ResumePoint,
  resumeFilters,
  resumeMarginFor,
} from './resume-filters.ts';
export { SeenIds } from './seen-ids.ts';
