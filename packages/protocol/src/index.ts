// @mostro/protocol: the Mostro wire format. Pure and I/O-free.

export * from './chat/index.ts';
export * from './crypto/index.ts';
export * from './events/index.ts';
export * from './keys/index.ts';
export * from './message/index.ts';
export * from './reputation/index.ts';
export * from './trade/index.ts';
export * from './transport/index.ts';
