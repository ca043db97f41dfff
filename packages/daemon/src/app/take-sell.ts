// take-sell (protocol.md §5.7 steps 2–3): a buyer takes a sell order, with or without a payout
// invoice (bolt11, lightning address or LNURL). With taker bonds on, the take waits for the bond.
import { getPaymentRequest } from '@mostro/protocol';
import { bondRequired } from '../bonds/policy.ts';
import { requestTakerBond } from '../bonds/taker.ts';
import type { OrderRow } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import type { Request } from './request.ts';
import { prepareTake } from './take.ts';
import { carryOutTakeSell } from './take-proceed.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function takeSell(ctx: AppContext, request: Request): Promise<void> {
  const take = prepareTake(ctx, request, 'sell');
  const invoice = getPaymentRequest(request.message);
  if (invoice !== null) await acceptableInvoice(ctx, { ...take.order, ...take.patch }, invoice);
  const requestId = request.message.request_id;
  if (bondRequired(ctx.settings, 'taker')) return requestTakerBond(ctx, request, take, invoice);
  if (take.order.status !== 'pending') throw new CantDo('invalid_order_status');
  await carryOutTakeSell(ctx, {
    order: take.order,
    patch: take.patch,
    invoice,
    requestId,
    from: 'pending',
    alsoInTransaction: () => recordTradeIndex(ctx, request),
  });
}

/** §5.9 validation, then a route probe: an invoice that cannot be paid is refused now, not after release. */
export async function acceptableInvoice(ctx: AppContext, order: OrderRow, invoice: string): Promise<void> {
  const problem = await ctx.escrow.validateBuyerInvoice(invoice, order.amount - order.fee);
  if (problem) throw new CantDo('invalid_invoice', problem);
  const verdict = await escrowOf(ctx).probe(order, invoice);
  if (verdict.verdict === 'unpayable') throw new CantDo('invalid_invoice', verdict.reason);
}
