export * from './enums.ts';
export type * from './types.ts';
