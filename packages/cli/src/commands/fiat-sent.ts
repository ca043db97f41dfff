import { tradeCommand } from '../lib/action.ts';

export const summary = 'buyer: tell the seller (through the node) that the fiat payment was sent';
export const usesGlobals = true;
export const run = tradeCommand(
  'fiat-sent',
  summary,
  (c, id) => c.fiatSent(id),
  () => 'fiat-sent confirmed by the node; the seller must now release',
);
