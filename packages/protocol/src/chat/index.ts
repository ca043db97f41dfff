export * from './channel.ts';
export * from './inner.ts';
export * from './keys.ts';
export * from './open.ts';
export * from './receiver.ts';
export * from './transcript.ts';
export * from './types.ts';
export * from './wrap.ts';
