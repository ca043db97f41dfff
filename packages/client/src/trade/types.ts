// What the client remembers about one trade. No secret key is ever stored here: the trade key is
// re-derived from the mnemonic and `tradeIndex` whenever it is needed.
import type { Action, OrderKind, OrderStatus, SmallOrder, UserInfo } from '@mostro/protocol';

export type Role = 'maker' | 'taker';
export type Side = 'buyer' | 'seller';

/** What the user has to do next, if anything. */
export type NextStep =
  | 'wait'
  | 'add-invoice'
  | 'pay-invoice'
  | 'pay-bond-invoice'
  | 'add-bond-invoice'
  | 'fiat-sent'
  | 'release'
  | 'rate'
  | 'confirm-cancel'
  | 'none';

/** The anti-abuse bond this side pays (protocol.md §5.12). */
export interface TradeBond {
  /** to-pay: the invoice is waiting; locked: paid and held; released: the trade ended, given back; slashed: forfeited. */
  state: 'to-pay' | 'locked' | 'released' | 'slashed';
  amountSats: number | null;
  invoice: string | null;
}

/** A share of the counterparty's slashed bond this side may claim (add-bond-invoice). */
export interface BondClaim {
  amountSats: number;
  /** Unix seconds; the node's claim window (info `bond_payout_claim_window_days`) counts from it. */
  slashedAt: number;
  /** to-claim: send an invoice; accepted: the node is paying it; paid: done. */
  state: 'to-claim' | 'accepted' | 'paid';
}

export interface Deadline {
  /** What happens at the deadline, in words. */
  what: string;
  /** Unix seconds. */
  at: number;
}

export interface TradeRecord {
  orderId: string;
  nodePubkey: string;
  role: Role;
  kind: OrderKind;
  side: Side;
  /** Index of the trade key (m/44'/1237'/38383'/0/i). */
  tradeIndex: number;
  fullPrivate: boolean;
  /** Local view of the order status (the node's status names). */
  status: OrderStatus;
  order: SmallOrder | null;
  counterpartyPubkey: string | null;
  counterpartyReputation: UserInfo | null;
  holdInvoice: string | null;
  bondInvoice: string | null;
  /** The bond this side pays, when the node asked for one (absent on records from older versions). */
  bond?: TradeBond | null;
  /** A slashed bond's share this side won. */
  bondClaim?: BondClaim | null;
  /** Amount in the last message, as seen by this side (seller: amount + fee; buyer: amount − fee). */
  amountSats: number | null;
  next: NextStep;
  cooperativeCancel: 'by-me' | 'by-peer' | null;
  dispute: { id: string; byMe: boolean; solverPubkey: string | null } | null;
  paymentFailed: { attempts: number; retryIntervalSeconds: number } | null;
  rated: boolean;
  /** For range orders: the next trade index announced with `next_trade`. */
  nextTradeIndex: number | null;
  deadline: Deadline | null;
  lastAction: Action | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'success',
  'canceled',
  'cooperatively-canceled',
  'canceled-by-admin',
  'completed-by-admin',
  'settled-by-admin',
  'expired',
]);

export function isOpen(trade: Pick<TradeRecord, 'status'>): boolean {
  return !TERMINAL_STATUSES.has(trade.status);
}

/**
 * True while the node may still send this trade something: it is open, or it ended with a share
 * of a slashed bond that is not yet paid (the ask, the acceptance and the payout's confirmation
 * all come after the trade's last status).
 */
export function awaitsNode(trade: Pick<TradeRecord, 'status' | 'bondClaim'>): boolean {
  return isOpen(trade) || (trade.bondClaim != null && trade.bondClaim.state !== 'paid');
}
