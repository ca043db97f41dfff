export * from './event.ts';
export * from './nip44.ts';
export * from './pow.ts';
export * from './secp.ts';
export * from './wasm.ts';
