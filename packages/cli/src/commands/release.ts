import { tradeCommand } from '../lib/action.ts';

export const summary = 'seller: release the escrowed sats to the buyer (only after the fiat arrived)';
export const usesGlobals = true;
export const run = tradeCommand(
  'release',
  summary,
  (c, id) => c.release(id),
  () => 'released: the node pays the buyer',
);
