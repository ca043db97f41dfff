// @mostro/nostr: relay I/O for the node and every client. Browser-safe: the WebSocket class is a
// parameter (`./node` passes `ws`, `./browser` the native one; the default is globalThis.WebSocket).
export type { Filter } from 'nostr-tools/filter';
export type { NostrEvent } from 'nostr-tools/pure';
export { type BackoffOptions, backoffDelay } from './backoff.ts';
export {
  acceptedByAny,
  describePublishResults,
  type PoolSubscription,
  type PublishFailure,
  type PublishResult,
  RelayPool,
  type RelayPoolOptions,
  type RelayStatus,
  type Relays,
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
