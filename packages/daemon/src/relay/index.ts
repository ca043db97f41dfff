export { type EmbeddedRelay, type EmbeddedRelayOptions, startEmbeddedRelay } from './embedded-relay.ts';
export { ExpiringEventRepository, expirationOf, isExpired } from './expiring-event-repository.ts';
export { type ParsedIncoming, parseIncomingMessage } from './incoming-message.ts';
export { LiveFilterGuard } from './live-filter-guard.ts';
export { startEmbeddedRelayThread } from './relay-thread.ts';
export { type SchnorrVerify, useSignatureCheck } from './signature-check.ts';
export { withStatementCache } from './statement-cache.ts';
