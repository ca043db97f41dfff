// What the escrow needs from the rest of the node, and what it offers: narrow interfaces passed in
// at construction, so the escrow imports nothing from the handlers (app/). The handlers implement
// PartyNotifier over their messages and outbox (app/escrow.ts) and hold the escrow as `Escrow`.
import type { Action, Payload, Peer } from '@mostro/protocol';
import type { Clock } from '../clock.ts';
import type { Settings } from '../config/index.ts';
import type { DisputeRow } from '../db/disputes.ts';
import type { Db } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import type { Role } from '../orders/small-order.ts';
import type { LnurlResolver } from './lnurl.ts';
import type { ProbeVerdict } from './probe.ts';

/** The money-moving side of the node, as the handlers use it. */
export interface Escrow {
  /**
   * Creates the hold invoice for a taken order and asks the seller to pay it; `requestId` is the
   * take's or add-invoice's, echoed to both parties as the reference does.
   */
  requestSellerPayment(order: OrderRow, requestId?: bigint | null): Promise<void>;
  /**
   * Settles the hold invoice (release or solver) and pays the buyer; `afterSettle` runs between the
   * two, so the caller's messages about the settle precede the payout's.
   */
  settleAndPay(order: OrderRow, afterSettle?: (settled: OrderRow) => Promise<void>): Promise<void>;
  /** Cancels the hold invoice if any (seller refunded). */
  cancelHold(order: OrderRow): Promise<void>;
  /** Validates a buyer invoice / lightning address for an order (§5.9); null when fine. */
  validateBuyerInvoice(invoice: string, expectedSats: number | null): Promise<string | null>;
  /** At start, before new messages: brings every order in line with what Lightning did meanwhile. */
  reconcile(): Promise<void>;
}

/** The fields of a message to a party besides its action and order id. */
export interface PartyMessage {
  payload?: Payload | null;
  trade_index?: number | null;
  /** Echo of the request that caused the message (the reference's show_hold_invoice does). */
  request_id?: bigint | null;
}

/** "Tell the parties": how the escrow's outcomes reach buyer and seller. */
export interface PartyNotifier {
  /** Sends `action` about `order` to one party (nothing when that side is not set yet). */
  notify(order: OrderRow, role: Role, action: Action, fields?: PartyMessage): Promise<void>;
  /** The `peer` payload a maker is sent about the taker (their reputation). */
  peerReputation(identity: string | null): Peer;
  /**
   * A release whose settle was finished by a job or reconciliation, not by the seller's request:
   * its messages (released, the range child, rate) go out now, once.
   */
  announcePendingRelease(order: OrderRow): Promise<void>;
}

export interface EscrowLog {
  info(line: string, detail?: unknown): void;
  warn(line: string, detail?: unknown): void;
  error(line: string, detail?: unknown): void;
}

/** The node's public events the escrow changes (order revisions, disputes it closes). */
export interface EscrowPublisher {
  order(order: OrderRow): Promise<void>;
  dispute(dispute: DisputeRow): Promise<void>;
}

/** The node's facilities the escrow uses. */
export interface EscrowContext {
  db: Db;
  clock: Clock;
  settings: Settings;
  lightning: LightningBackend;
  log: EscrowLog;
  publish: EscrowPublisher;
  /** The LND sync monitor (health/lnd-sync.ts); absent = payouts never wait on it. */
  lndSync?: { paymentsDeferred(): boolean };
}

/**
 * What the escrow's steps (hold.ts, hold-update.ts, settle.ts, payout.ts) run against; the
 * LightningEscrow is one, and each step is called with the order's escrow lock held.
 */
export interface EscrowDeps {
  readonly ctx: EscrowContext;
  readonly notifier: PartyNotifier;
  readonly resolver: LnurlResolver;
  /** Appends to the escrow journal (what happened to the money). */
  journal(orderId: string, step: string, detail: unknown): void;
  /** Follows the order's hold invoice until it is final. */
  watch(order: OrderRow): void;
  /** Probes the order's buyer invoice for a route; journaled. */
  probe(order: OrderRow, invoice?: string | null): Promise<ProbeVerdict>;
  validateBuyerInvoice(invoice: string, expectedSats: number | null): Promise<string | null>;
  /** The buyer's payout: amount − fee. */
  payoutSats(order: OrderRow): number;
  routingCap(order: OrderRow): number;
}
