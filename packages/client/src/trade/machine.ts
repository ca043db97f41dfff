// The trade state machine: a pure reducer from (trade, message from the node) to the next trade and
// a human description of the step. Driven by every action a client can receive (protocol.md §4.1,
// flows §5.7/§5.8, cancel §5.10, disputes §7); unknown actions leave the trade unchanged.
import type { MessageKind, OrderStatus, SmallOrder } from '@mostro/protocol';
import { type Deadline, type NextStep, type Side, TERMINAL_STATUSES, type TradeRecord } from './types.ts';

/** Node timing settings used for deadlines (38385 `expiration_seconds`, `hold_invoice_expiration_window`). */
export interface TradeTimers {
  /** Seconds a taker has in waiting-buyer-invoice / waiting-payment (default 900). */
  expirationSeconds: number;
  /** Seconds a hold invoice can be paid once created; null or absent when the node does not say. */
  holdInvoiceExpirationWindow?: number | null;
}

export interface TradeStep {
  trade: TradeRecord;
  /** One line saying what happened, for `watch` and logs. */
  summary: string;
  /** True when the message changed nothing we track. */
  ignored: boolean;
  /**
   * True when this message had been applied before (by this or another process sharing the
   * session): reported again — `watch` replays a trade's messages when it starts — but nothing
   * changed now, so nobody should be told of it a second time.
   */
  replayed?: boolean;
}

const DEFAULT_TIMERS: TradeTimers = { expirationSeconds: 900 };

function orderOf(kind: MessageKind): SmallOrder | null {
  const p = kind.payload;
  if (!p) return null;
  if ('order' in p) return p.order;
  if ('payment_request' in p) return p.payment_request[0];
  return null;
}

function counterpartyFrom(order: SmallOrder | null, side: Side): string | null {
  if (!order) return null;
  return (side === 'buyer' ? order.seller_trade_pubkey : order.buyer_trade_pubkey) ?? null;
}

function waitingDeadline(at: number, timers: TradeTimers, what: string): Deadline {
  return { what, at: at + timers.expirationSeconds };
}

/** The seller must pay before the waiting timeout and before the hold invoice itself expires. */
function holdDeadline(at: number, timers: TradeTimers, what: string): Deadline {
  const window = timers.holdInvoiceExpirationWindow;
  const seconds = window && window > 0 ? Math.min(window, timers.expirationSeconds) : timers.expirationSeconds;
  return { what, at: at + seconds };
}

/** Creates the local record for an order I make or take. */
export function newTrade(init: {
  orderId: string;
  nodePubkey: string;
  role: TradeRecord['role'];
  kind: TradeRecord['kind'];
  tradeIndex: number;
  fullPrivate: boolean;
  order?: SmallOrder | null;
  status?: OrderStatus;
  now: number;
}): TradeRecord {
  const side: Side = (init.kind === 'sell') === (init.role === 'maker') ? 'seller' : 'buyer';
  return {
    orderId: init.orderId,
    nodePubkey: init.nodePubkey,
    role: init.role,
    kind: init.kind,
    side,
    tradeIndex: init.tradeIndex,
    fullPrivate: init.fullPrivate,
    status: init.status ?? 'pending',
    order: init.order ?? null,
    counterpartyPubkey: null,
    counterpartyReputation: null,
    holdInvoice: null,
    bondInvoice: null,
    amountSats: init.order?.amount ?? null,
    next: 'wait',
    cooperativeCancel: null,
    dispute: null,
    paymentFailed: null,
    rated: false,
    nextTradeIndex: null,
    deadline:
      init.order?.expires_at && (init.status ?? 'pending') === 'pending'
        ? { what: 'the order expires if nobody takes it', at: init.order.expires_at }
        : null,
    lastAction: null,
    lastError: null,
    createdAt: init.now,
    updatedAt: init.now,
  };
}

/** Position of a status on the happy path; a forward-only message never moves a trade back. */
const PROGRESS: Partial<Record<OrderStatus, number>> = {
  pending: 0,
  'waiting-buyer-invoice': 1,
  'waiting-payment': 1,
  active: 2,
  'fiat-sent': 3,
  dispute: 3,
  'settled-hold-invoice': 4,
  success: 5,
};

/** Actions that only ever move a trade forward (stored messages may arrive out of order). */
const FORWARD_ONLY: ReadonlySet<string> = new Set([
  'waiting-seller-to-pay',
  'waiting-buyer-invoice',
  'pay-invoice',
  'add-invoice',
  'buyer-took-order',
  'hold-invoice-payment-accepted',
  'fiat-sent-ok',
  'released',
  'hold-invoice-payment-settled',
  'purchase-completed',
  'dispute-initiated-by-you',
  'dispute-initiated-by-peer',
  'admin-settled',
]);

/**
 * Applies one message from the node. `at` = the message's created_at (deadlines count from it).
 * Pure: returns a new record. A forward-only message that would move the trade back (a late copy
 * from a relay's backlog) is ignored.
 */
export function applyMessage(
  prev: TradeRecord,
  kind: MessageKind,
  at: number,
  timers: TradeTimers = DEFAULT_TIMERS,
): TradeStep {
  const step = withBondReleased(reduce(prev, kind, at, timers));
  const before = PROGRESS[prev.status];
  const after = PROGRESS[step.trade.status];
  if (FORWARD_ONLY.has(kind.action) && before !== undefined && after !== undefined && after < before) {
    return { trade: prev, summary: `late ${kind.action} ignored (the trade is already ${prev.status})`, ignored: true };
  }
  return step;
}

/** Node messages that only come once a bond asked for has locked (the trade went on). */
const AFTER_BOND_LOCK: ReadonlySet<string> = new Set([
  'new-order',
  'add-invoice',
  'pay-invoice',
  'waiting-seller-to-pay',
  'waiting-buyer-invoice',
]);

/** The node gives a bond back once the trade ended without a slash (or the take was undone). */
function withBondReleased(step: TradeStep): TradeStep {
  const bond = step.trade.bond;
  if ((bond?.state !== 'locked' && bond?.state !== 'to-pay') || !TERMINAL_STATUSES.has(step.trade.status)) return step;
  return { ...step, trade: { ...step.trade, bond: { ...bond, state: 'released' } } };
}

function reduce(prev: TradeRecord, kind: MessageKind, at: number, timers: TradeTimers): TradeStep {
  const t: TradeRecord = { ...prev, lastAction: kind.action, updatedAt: at, lastError: null };
  if (prev.bond?.state === 'to-pay' && AFTER_BOND_LOCK.has(kind.action)) {
    t.bond = { ...prev.bond, state: 'locked' };
    t.bondInvoice = null;
  }
  const order = orderOf(kind);
  const p = kind.payload;
  const peer = p && 'peer' in p ? p.peer : null;
  const setOrder = () => {
    if (order) {
      t.order = { ...(t.order ?? {}), ...order };
      t.amountSats = order.amount;
      t.counterpartyPubkey = counterpartyFrom(order, t.side) ?? t.counterpartyPubkey;
    }
  };
  const step = (summary: string): TradeStep => ({ trade: t, summary, ignored: false });

  switch (kind.action) {
    case 'new-order': {
      const firstPublication = prev.status === 'pending' || prev.status === 'waiting-maker-bond';
      const republished = !firstPublication || prev.counterpartyPubkey !== null;
      setOrder();
      t.status = order?.status ?? 'pending';
      t.next = 'wait';
      t.counterpartyPubkey = null;
      t.holdInvoice = null;
      t.cooperativeCancel = null;
      t.deadline = order?.expires_at ? { what: 'the order expires if nobody takes it', at: order.expires_at } : null;
      return step(
        republished && prev.lastAction !== null
          ? 'the taker left (canceled or timed out): the order is published again'
          : 'order published, waiting for a taker',
      );
    }
    case 'pay-invoice':
      if (peer) {
        t.counterpartyReputation = peer.reputation;
        t.lastAction = prev.lastAction;
        return step(`the taker's reputation: ${describeReputation(peer.reputation)}`);
      }
      setOrder();
      t.status = 'waiting-payment';
      t.holdInvoice = p && 'payment_request' in p ? p.payment_request[1] : t.holdInvoice;
      t.next = 'pay-invoice';
      t.deadline = holdDeadline(at, timers, 'pay the hold invoice or the take is undone');
      return step(`pay the hold invoice of ${t.amountSats ?? '?'} sats to lock the escrow`);
    case 'pay-bond-invoice': {
      const bondOrder = p && 'payment_request' in p ? p.payment_request[0] : null;
      t.bondInvoice = p && 'payment_request' in p ? p.payment_request[1] : t.bondInvoice;
      t.bond = { state: 'to-pay', amountSats: bondOrder?.amount ?? null, invoice: t.bondInvoice };
      t.next = 'pay-bond-invoice';
      if (prev.status === 'pending') t.status = t.role === 'maker' ? 'waiting-maker-bond' : 'waiting-taker-bond';
      // A taker's bond invoice lives as long as the hold-invoice window; the take is undone after it.
      if (t.role === 'taker') t.deadline = holdDeadline(at, timers, 'pay the bond or the take is undone');
      return step(`pay the anti-abuse bond invoice of ${t.bond.amountSats ?? '?'} sats`);
    }
    case 'add-invoice':
      if (peer) {
        t.counterpartyReputation = peer.reputation;
        t.lastAction = prev.lastAction;
        return step(`the taker's reputation: ${describeReputation(peer.reputation)}`);
      }
      setOrder();
      if (prev.status === 'settled-hold-invoice') {
        t.next = 'add-invoice';
        return step('every payout attempt failed: send a new invoice to receive your sats');
      }
      t.status = 'waiting-buyer-invoice';
      t.next = 'add-invoice';
      t.deadline = waitingDeadline(at, timers, 'send your invoice or the take is undone');
      return step(`send an invoice for ${t.amountSats ?? '?'} sats (or a lightning address)`);
    case 'add-bond-invoice': {
      const request = p && 'bond_payout_request' in p ? p.bond_payout_request : null;
      if (request) t.bondClaim = { amountSats: request.order.amount, slashedAt: request.slashed_at, state: 'to-claim' };
      t.next = 'add-bond-invoice';
      return step(
        `you won a slashed bond: send an invoice for ${t.bondClaim?.amountSats ?? '?'} sats to claim your share`,
      );
    }
    case 'waiting-seller-to-pay':
      t.status = 'waiting-payment';
      t.next = 'wait';
      t.deadline = holdDeadline(at, timers, 'the seller must pay the hold invoice');
      return step('waiting for the seller to pay the hold invoice');
    case 'waiting-buyer-invoice':
      t.status = 'waiting-buyer-invoice';
      t.next = 'wait';
      t.deadline = waitingDeadline(at, timers, 'the buyer must send an invoice');
      return step('waiting for the buyer to send an invoice');
    case 'buyer-took-order':
    case 'hold-invoice-payment-accepted':
      setOrder();
      t.status = 'active';
      t.holdInvoice = null;
      t.next = t.side === 'buyer' ? 'fiat-sent' : 'wait';
      t.deadline = null;
      return step(
        t.side === 'buyer'
          ? 'escrow locked: send the fiat payment, then run fiat-sent'
          : 'escrow locked: wait for the buyer to send the fiat payment',
      );
    case 'fiat-sent-ok':
      t.status = 'fiat-sent';
      if (peer?.pubkey) t.counterpartyPubkey = peer.pubkey;
      t.next = t.side === 'seller' ? 'release' : 'wait';
      return step(
        t.side === 'seller'
          ? 'the buyer says the fiat was sent: check it, then release'
          : 'fiat-sent confirmed, waiting for the seller to release',
      );
    case 'released':
      t.status = 'settled-hold-invoice';
      t.next = 'wait';
      return step('the seller released: your payout is on its way');
    case 'hold-invoice-payment-settled':
      t.status = 'settled-hold-invoice';
      t.next = 'wait';
      return step('released: the escrow is settled');
    case 'purchase-completed':
      t.status = 'success';
      t.paymentFailed = null;
      t.next = t.rated ? 'none' : 'rate';
      return step('payout received: trade complete');
    case 'rate':
      if (t.side === 'seller' && t.status === 'settled-hold-invoice') t.status = 'success';
      t.next = t.rated ? 'none' : 'rate';
      return step('rate your counterparty (1-5)');
    case 'rate-received':
      t.rated = true;
      t.next = 'none';
      return step('rating recorded');
    case 'canceled':
      t.status = 'canceled';
      t.next = 'none';
      t.deadline = null;
      return step('the order was canceled');
    case 'cooperative-cancel-initiated-by-you':
      t.cooperativeCancel = 'by-me';
      return step('cooperative cancel requested; the counterparty must confirm');
    case 'cooperative-cancel-initiated-by-peer':
      t.cooperativeCancel = 'by-peer';
      t.next = 'confirm-cancel';
      return step('the counterparty wants to cancel: run cancel to agree');
    case 'cooperative-cancel-accepted':
      t.status = 'cooperatively-canceled';
      t.next = 'none';
      t.deadline = null;
      return step('canceled by agreement; the seller is refunded');
    case 'dispute-initiated-by-you':
    case 'dispute-initiated-by-peer': {
      const id = p && 'dispute' in p ? p.dispute[0] : (prev.dispute?.id ?? '');
      t.status = 'dispute';
      t.dispute = {
        id,
        byMe: kind.action === 'dispute-initiated-by-you',
        solverPubkey: prev.dispute?.solverPubkey ?? null,
      };
      t.next = 'wait';
      return step(
        kind.action === 'dispute-initiated-by-you'
          ? 'dispute opened; a solver will take it'
          : 'the counterparty opened a dispute',
      );
    }
    case 'admin-took-dispute':
      if (peer)
        t.dispute = { id: prev.dispute?.id ?? '', byMe: prev.dispute?.byMe ?? false, solverPubkey: peer.pubkey };
      return step('a solver took the dispute; chat with them with `chat send --solver`');
    case 'admin-settled':
      t.status = t.side === 'buyer' ? 'settled-hold-invoice' : 'success';
      t.next = 'wait';
      return step('the solver settled the dispute in favour of the buyer');
    case 'admin-canceled':
      t.status = 'canceled-by-admin';
      t.next = 'none';
      return step('the solver canceled the order; the seller is refunded');
    case 'payment-failed': {
      const info = p && 'payment_failed' in p ? p.payment_failed : null;
      if (info)
        t.paymentFailed = { attempts: info.payment_attempts, retryIntervalSeconds: info.payment_retries_interval };
      return step(`the payout failed; the node retries ${info?.payment_attempts ?? 'a few'} more times`);
    }
    case 'invoice-updated':
      // The failure was the old invoice's; the node now pays the new one.
      t.paymentFailed = null;
      t.next = 'wait';
      return step('new payout invoice accepted');
    case 'hold-invoice-payment-canceled':
      t.status = 'canceled';
      t.next = 'none';
      return step('the escrow expired and was returned to the seller');
    case 'bond-slashed':
      t.bond = { ...(t.bond ?? { amountSats: order?.amount ?? null, invoice: null }), state: 'slashed' };
      return step(`your bond of ${t.bond.amountSats ?? '?'} sats was slashed`);
    case 'bond-invoice-accepted':
      // The payout can be confirmed before this reply is applied (it is handed to the waiting
      // request, the confirmation to the inbox): a paid claim never goes back to "accepted".
      if (t.bondClaim?.state === 'paid') return step('bond payout invoice accepted');
      if (t.bondClaim) t.bondClaim = { ...t.bondClaim, state: 'accepted' };
      t.next = 'wait';
      return step('bond payout invoice accepted');
    case 'bond-payout-completed':
      if (t.bondClaim) t.bondClaim = { ...t.bondClaim, state: 'paid' };
      t.next = TERMINAL_STATUSES.has(t.status) ? 'none' : t.next === 'add-bond-invoice' ? 'wait' : t.next;
      return step(`bond share of ${t.bondClaim?.amountSats ?? '?'} sats paid to you`);
    case 'cant-do': {
      const reason = p && 'cant_do' in p ? (p.cant_do ?? 'invalid_action') : 'invalid_action';
      t.lastError = reason;
      t.lastAction = prev.lastAction;
      return step(`the node refused: ${reason}`);
    }
    default:
      return { trade: prev, summary: `ignored ${kind.action}`, ignored: true };
  }
}

type ReputationNotice = { rating: number; reviews: number; operating_days: number };

/**
 * What a reputation notice says about the counterparty. The node sends all zeros for a full-private
 * user and for a reputation user on their first day (the wire cannot tell them apart); a reputation
 * user with days on the node but no votes is not private.
 */
export function reputationStanding(r: ReputationNotice | null): 'private-or-new' | 'unrated' | 'rated' {
  if (!r || (r.reviews === 0 && r.rating === 0 && r.operating_days === 0)) return 'private-or-new';
  return r.reviews === 0 ? 'unrated' : 'rated';
}

function describeReputation(r: ReputationNotice | null): string {
  const standing = reputationStanding(r);
  if (!r || standing === 'private-or-new') return 'private, or new today (no reputation)';
  const days = `${r.operating_days} day${r.operating_days === 1 ? '' : 's'}`;
  return standing === 'unrated'
    ? `no ratings yet, ${days} on this node`
    : `rating ${r.rating.toFixed(1)} from ${r.reviews} review${r.reviews === 1 ? '' : 's'}, ${days}`;
}

/**
 * The deadline that applies to the trade as it stands: the order's expiry while pending, the
 * waiting timer while the node waits for an invoice or a payment, none once the escrow is locked or
 * the trade is over (a stored deadline of an earlier step no longer applies).
 */
export function currentDeadline(t: Pick<TradeRecord, 'status' | 'deadline'>): TradeRecord['deadline'] {
  const applies = [
    'pending',
    'waiting-payment',
    'waiting-buyer-invoice',
    'waiting-taker-bond',
    'waiting-maker-bond',
  ].includes(t.status);
  return applies ? t.deadline : null;
}

export const NEXT_STEP_HELP: Record<NextStep, string> = {
  wait: 'wait for the counterparty or the node',
  'add-invoice': 'mostro invoice <order-id> <bolt11|ln-address>',
  'pay-invoice': 'mostro pay <order-id> (shows the hold invoice)',
  'pay-bond-invoice': 'mostro pay <order-id> --bond',
  'add-bond-invoice': 'mostro bond claim <order-id> --invoice <bolt11>',
  'fiat-sent': 'mostro fiat-sent <order-id>',
  release: 'mostro release <order-id>',
  rate: 'mostro rate <order-id> <1-5>',
  'confirm-cancel': 'mostro cancel <order-id> (to agree)',
  none: 'nothing',
};
