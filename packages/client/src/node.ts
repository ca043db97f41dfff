// Node-only parts of the SDK (the Node relay pool is `@mostro/nostr/node`).
export * from './session/store.node.ts';
