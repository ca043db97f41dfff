// The action → handler table. Each handler lives in the file named after its action.
import { cancel } from './cancel.ts';
import type { HandlerTable } from './dispatch.ts';
import { lastTradeIndex } from './last-trade-index.ts';
import { newOrder } from './new-order.ts';
import { orders } from './orders.ts';
import { restoreSession } from './restore-session.ts';

export const handlers: HandlerTable = {
  'new-order': newOrder,
  cancel,
  orders,
  'last-trade-index': lastTradeIndex,
  'restore-session': restoreSession,
};
