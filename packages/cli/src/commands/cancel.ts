import { tradeCommand } from '../lib/action.ts';

export const summary = 'cancel an order (pending: at once; once the escrow is locked both sides must cancel)';
export const usesGlobals = true;
export const run = tradeCommand(
  'cancel',
  summary,
  (c, id) => c.cancel(id),
  (t) =>
    t.status === 'canceled' || t.status === 'cooperatively-canceled'
      ? 'canceled'
      : t.cooperativeCancel === 'by-me'
        ? 'cancel requested: the counterparty must also cancel'
        : `cancel sent (status ${t.status})`,
);
