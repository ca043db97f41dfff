// The escrow invariant, checked against the Lightning backend's own records (tests, operators):
// for every finished order, either
//  - success: the seller's hold invoice was settled for amount + fee, and the buyer's payout
//    succeeded for amount − fee with a routing fee within the cap; so what the seller paid equals
//    what the buyer received + the node's fee (2 × fee − routing) + routing; and nothing else moved;
//    a dev fee marked paid was paid, for exactly `dev_fee`, under the recorded hash;
//  - canceled / expired: the seller's hold invoice (if one was paid) was canceled, i.e. refunded in
//    full, and no payout succeeded.
import { type OrderStatus, routingFeeCap } from '@mostro/protocol';
import type { OrderRow } from '../db/orders.ts';
import { listOrdersByStatus } from '../db/orders.ts';
import type { EscrowContext } from './ports.ts';

export interface InvariantViolation {
  orderId: string;
  status: OrderStatus;
  problem: string;
}

const REFUNDED: readonly OrderStatus[] = ['canceled', 'cooperatively-canceled', 'canceled-by-admin', 'expired'];

/** Checks every finished order (or the given ones); an empty list means the invariant holds. */
export async function checkEscrowInvariant(
  ctx: Pick<EscrowContext, 'db' | 'lightning' | 'settings'>,
  orders: readonly OrderRow[] = listOrdersByStatus(ctx.db, ['success', ...REFUNDED]),
): Promise<InvariantViolation[]> {
  const violations: InvariantViolation[] = [];
  for (const order of orders) {
    const problem = await checkOrder(ctx, order);
    if (problem) violations.push({ orderId: order.id, status: order.status, problem });
  }
  return violations;
}

async function checkOrder(ctx: Pick<EscrowContext, 'lightning' | 'settings'>, order: OrderRow): Promise<string | null> {
  const hold = order.hash ? await ctx.lightning.getHoldInvoice(order.hash) : null;
  if (order.status === 'success') {
    if (!hold?.ok) return 'no hold invoice at the backend';
    if (hold.value.state !== 'settled') return `hold invoice is ${hold.value.state}, not settled`;
    if (hold.value.amountSats !== order.amount + order.fee) return 'seller paid a different amount than amount + fee';
    if (!order.payout_hash) return 'no payout hash';
    const payment = await ctx.lightning.getPayment(order.payout_hash);
    if (!payment.ok) return `payout unknown to the backend (${payment.error.code})`;
    const p = payment.value;
    if (p.state !== 'succeeded') return `payout is ${p.state}`;
    const received = p.amountSats;
    const nodeFee = 2 * order.fee - p.feeSats;
    if (received !== order.amount - order.fee)
      return `buyer received ${received}, expected ${order.amount - order.fee}`;
    if (hold.value.amountSats !== received + nodeFee + p.feeSats)
      return 'seller paid ≠ buyer received + fees + routing';
    if (p.feeSats > routingFeeCap(order.amount, ctx.settings.mostro.max_routing_fee))
      return 'routing fee above the cap';
    if (p.feeSats !== order.payout_fee) return 'recorded routing fee differs from the payment';
    return checkDevFee(ctx, order);
  }
  if (hold?.ok && (hold.value.state === 'settled' || hold.value.state === 'accepted')) {
    return `finished as ${order.status} but the hold invoice is ${hold.value.state}`;
  }
  if (order.payout_hash) {
    const payment = await ctx.lightning.getPayment(order.payout_hash);
    if (payment.ok && payment.value.state !== 'failed') return `refunded order has a ${payment.value.state} payout`;
  }
  return null;
}

/** A dev fee marked paid has a succeeded payment of exactly that amount (jobs/dev-fee.ts). */
async function checkDevFee(ctx: Pick<EscrowContext, 'lightning'>, order: OrderRow): Promise<string | null> {
  if (!order.dev_fee_paid) return null;
  if (!order.dev_fee_payment_hash) return 'dev fee marked paid without a payment hash';
  const payment = await ctx.lightning.getPayment(order.dev_fee_payment_hash);
  if (!payment.ok || payment.value.state !== 'succeeded') return 'dev fee marked paid but not paid';
  if (payment.value.amountSats !== order.dev_fee)
    return `dev fee paid ${payment.value.amountSats}, expected ${order.dev_fee}`;
  return null;
}
