// Which replies end a wait for each request, and how a reply is matched to its request: by
// request_id when the node echoes it, else by order id for the actions mostro-core lets arrive
// unsolicited (protocol.md §4.1 allow-list). A cant-do always ends the wait.
import type { Action, MessageKind } from '@mostro/protocol';

export const EXPECTED_REPLIES: Partial<Record<Action, readonly Action[]>> = {
  'new-order': ['new-order', 'pay-bond-invoice'],
  'take-sell': ['add-invoice', 'waiting-seller-to-pay', 'pay-bond-invoice', 'pay-invoice'],
  'take-buy': ['pay-invoice', 'pay-bond-invoice', 'waiting-buyer-invoice'],
  'add-invoice': ['waiting-seller-to-pay', 'hold-invoice-payment-accepted', 'invoice-updated', 'buyer-took-order'],
  'add-bond-invoice': ['bond-invoice-accepted', 'bond-payout-completed'],
  'fiat-sent': ['fiat-sent-ok'],
  release: ['hold-invoice-payment-settled', 'released'],
  cancel: ['canceled', 'cooperative-cancel-initiated-by-you', 'cooperative-cancel-accepted'],
  dispute: ['dispute-initiated-by-you'],
  'rate-user': ['rate-received'],
  'last-trade-index': ['last-trade-index'],
  'restore-session': ['restore-session'],
  orders: ['orders'],
  'admin-take-dispute': ['admin-took-dispute'],
  'admin-settle': ['admin-settled', 'cooperative-cancel-accepted'],
  'admin-cancel': ['admin-canceled', 'cooperative-cancel-accepted'],
  'admin-add-solver': ['admin-add-solver'],
  'trade-pubkey': ['trade-pubkey'],
  'user-info': ['user-info'],
  'declare-payer': ['payer-declared'],
  'payment-history': ['payment-history'],
  'export-reputation': ['reputation-exported'],
  'import-reputation': ['reputation-imported'],
};

/** mostro-core `validate_response` allow-list: may carry request_id null while we wait. */
export const UNSOLICITED: ReadonlySet<Action> = new Set<Action>([
  'buyer-took-order',
  'hold-invoice-payment-accepted',
  'hold-invoice-payment-settled',
  'hold-invoice-payment-canceled',
  'waiting-seller-to-pay',
  'waiting-buyer-invoice',
  'buyer-invoice-accepted',
  'purchase-completed',
  'released',
  'fiat-sent-ok',
  'canceled',
  'cooperative-cancel-initiated-by-peer',
  'cooperative-cancel-accepted',
  'dispute-initiated-by-peer',
  'admin-settled',
  'admin-canceled',
  'admin-took-dispute',
  'payment-failed',
  'invoice-updated',
  'rate',
  'rate-received',
  'send-dm',
  'bond-slashed',
  'cashu-escrow-locked',
  'cashu-pm-signature',
  // mostro-core 0.17 adds these two.
  'payer-declared',
  'payment-history',
]);

export interface PendingRequest {
  action: Action;
  requestId: bigint;
  /** Order id (or dispute id) the request is about, when it has one. */
  id?: string;
  /** Trade index sent with new-order / take-*: a reply carrying it matches even without request_id. */
  tradeIndex?: number | null;
}

/** True when `reply` answers `req` (including a cant-do refusal). */
export function answers(req: PendingRequest, reply: MessageKind): boolean {
  const expected = EXPECTED_REPLIES[req.action] ?? [];
  const isCantDo = reply.action === 'cant-do';
  if (!isCantDo && !expected.includes(reply.action)) return false;
  if (reply.request_id !== null) return reply.request_id === req.requestId;
  if (isCantDo) return req.id !== undefined && reply.id === req.id;
  // No request_id echoed: fall back to the order id, or the trade index for a new order.
  if (req.id !== undefined && reply.id === req.id) return true;
  if (req.action === 'new-order' && req.tradeIndex != null && reply.trade_index === req.tradeIndex) return true;
  if (
    (req.action === 'last-trade-index' || req.action === 'restore-session' || req.action === 'orders') &&
    reply.action === req.action
  )
    return true;
  if (req.action === 'admin-add-solver' && reply.action === 'admin-add-solver') return true;
  return false;
}
