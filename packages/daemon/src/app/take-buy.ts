// take-buy (protocol.md §5.8 step 2): a seller takes a buy order; the hold invoice is created at
// once, or, with taker bonds on, once the seller's bond is locked.
import { bondRequired } from '../bonds/policy.ts';
import { requestTakerBond } from '../bonds/taker.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import type { Request } from './request.ts';
import { prepareTake } from './take.ts';
import { carryOutTakeBuy } from './take-proceed.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function takeBuy(ctx: AppContext, request: Request): Promise<void> {
  const take = prepareTake(ctx, request, 'buy');
  if (bondRequired(ctx.settings, 'taker')) return requestTakerBond(ctx, request, take, null);
  if (take.order.status !== 'pending') throw new CantDo('invalid_order_status');
  await carryOutTakeBuy(ctx, {
    order: take.order,
    patch: take.patch,
    invoice: null,
    requestId: request.message.request_id,
    from: 'pending',
    alsoInTransaction: () => recordTradeIndex(ctx, request),
  });
}
