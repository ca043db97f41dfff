import { tradeCommand } from '../lib/action.ts';

export const summary = 'open a dispute on an active trade: a solver steps in';
export const usesGlobals = true;
export const run = tradeCommand(
  'dispute',
  summary,
  (c, id) => c.dispute(id),
  (t) => `dispute ${t.dispute?.id ?? ''} opened; wait for a solver (mostro watch)`,
);
