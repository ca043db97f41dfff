// @mostro/client: the SDK every Mostro client uses. The core is browser-safe; files named
// `*.node.ts` (the file session store) are exported from `@mostro/client/node`; relays are
// `@mostro/nostr`.
export * from './admin.ts';
export * from './chat/chat.ts';
export * from './client.ts';
export * from './errors.ts';
export * from './net/envelope.ts';
export type { Filter, Relays, SubscribeHandlers, Subscription } from './net/relays.ts';
export * from './node/discover.ts';
export * from './node/info.ts';
export * from './orderbook/index.ts';
export * from './session/kdf.ts';
export * from './session/session.ts';
export * from './session/store.idb.ts';
export * from './session/store.ts';
export * from './session/types.ts';
export * from './session/vault.ts';
export * from './trade/machine.ts';
export * from './trade/replies.ts';
export * from './trade/types.ts';
