// What a solver learns when it takes a dispute (protocol.md §4.2 SolverDisputeInfo, §7.2): the order,
// both trade keys, the hold invoice hash and preimage (so the solver can verify the escrow), and the
// reputation of each party that is not in full private mode (a full-private party has none: null).
import type { SolverDisputeInfo } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import type { DisputeRow } from '../db/disputes.ts';
import type { OrderRow } from '../db/orders.ts';
import { reputationOf } from '../publish/reputation.ts';

export function solverDisputeInfo(ctx: AppContext, order: OrderRow, dispute: DisputeRow): SolverDisputeInfo {
  const initiatorIsBuyer = dispute.initiator === 'buyer';
  const initiatorIdentity = initiatorIsBuyer ? order.master_buyer_pubkey : order.master_seller_pubkey;
  const counterpartIdentity = initiatorIsBuyer ? order.master_seller_pubkey : order.master_buyer_pubkey;
  const now = ctx.clock.now();
  const infoOf = (identity: string | null) => (identity === null ? null : reputationOf(ctx.db, identity, now));
  return {
    id: order.id,
    kind: order.kind,
    status: order.status,
    hash: order.hash,
    preimage: order.preimage,
    order_previous_status: dispute.order_previous_status,
    initiator_pubkey: (initiatorIsBuyer ? order.buyer_pubkey : order.seller_pubkey) ?? '',
    buyer_pubkey: order.buyer_pubkey,
    seller_pubkey: order.seller_pubkey,
    initiator_full_privacy: initiatorIdentity === null,
    counterpart_full_privacy: counterpartIdentity === null,
    initiator_info: infoOf(initiatorIdentity),
    counterpart_info: infoOf(counterpartIdentity),
    premium: order.premium,
    payment_method: order.payment_method,
    amount: order.amount,
    fiat_amount: order.fiat_amount,
    fee: order.fee,
    routing_fee: order.routing_fee,
    buyer_invoice: order.buyer_invoice,
    invoice_held_at: order.invoice_held_at,
    taken_at: order.taken_at,
    created_at: order.created_at,
  };
}
