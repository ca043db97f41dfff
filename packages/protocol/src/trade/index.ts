export * from './fees.ts';
export * from './payer.ts';
export * from './price.ts';
export * from './range.ts';
export * from './rating.ts';
export { rustAsI64, rustRound } from './round.ts';
