// The action → handler table. Each handler lives in the file named after its action.
import { addInvoice } from './add-invoice.ts';
import { adminAddSolver } from './admin-add-solver.ts';
import { adminCancel } from './admin-cancel.ts';
import { adminSettle } from './admin-settle.ts';
import { adminTakeDispute } from './admin-take-dispute.ts';
import { cancel } from './cancel.ts';
import { declarePayer } from './declare-payer.ts';
import type { HandlerTable } from './dispatch.ts';
import { dispute } from './dispute.ts';
import { exportReputationHandler } from './export-reputation.ts';
import { fiatSent } from './fiat-sent.ts';
import { importReputationHandler } from './import-reputation.ts';
import { lastTradeIndex } from './last-trade-index.ts';
import { newOrder } from './new-order.ts';
import { orders } from './orders.ts';
import { paymentHistory } from './payment-history.ts';
import { rateUser } from './rate-user.ts';
import { release } from './release.ts';
import { restoreSession } from './restore-session.ts';
import { takeBuy } from './take-buy.ts';
import { takeSell } from './take-sell.ts';
import { tradePubkey } from './trade-pubkey.ts';
import { userInfo } from './user-info.ts';

export const handlers: HandlerTable = {
  'new-order': newOrder,
  cancel,
  orders,
  'last-trade-index': lastTradeIndex,
  'restore-session': restoreSession,
  'take-sell': takeSell,
  'take-buy': takeBuy,
  'add-invoice': addInvoice,
  'fiat-sent': fiatSent,
  release,
  'trade-pubkey': tradePubkey,
  dispute,
  'admin-add-solver': adminAddSolver,
  'admin-take-dispute': adminTakeDispute,
  'admin-settle': adminSettle,
  'admin-cancel': adminCancel,
  'rate-user': rateUser,
  'user-info': userInfo,
  'declare-payer': declarePayer,
  'payment-history': paymentHistory,
  'export-reputation': exportReputationHandler,
  'import-reputation': importReputationHandler,
};
