// Node-only parts of the SDK.
export * from './net/pool.node.ts';
export * from './session/store.node.ts';
