// @mostro/client: the SDK every Mostro client uses. The core is browser-safe; files named
// `*.node.ts` (file session store, Node relay pool) are exported from `@mostro/client/node`.
export * from './admin.ts';
export * from './chat/chat.ts';
export * from './client.ts';
export * from './errors.ts';
export * from './net/envelope.ts';
export * from './net/pool.ts';
export * from './node/info.ts';
export * from './orderbook/index.ts';
export * as relay from './relay/index.ts';
export * from './session/kdf.ts';
export * from './session/session.ts';
export * from './session/store.idb.ts';
export * from './session/store.ts';
export * from './session/types.ts';
export * from './session/vault.ts';
export * from './trade/machine.ts';
export * from './trade/replies.ts';
export * from './trade/types.ts';
