export * from './secp.ts';
