// take-buy (protocol.md §5.8 step 2): a seller takes a buy order; the hold invoice is created at once.

import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';
import { claim, prepareTake, undoTake } from './take.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function takeBuy(ctx: AppContext, request: Request): Promise<void> {
  const take = prepareTake(ctx, request, 'buy');
  const taken = claim(() => setOrder(ctx, take.order, { ...take.patch, status: 'waiting-payment' }, 'pending'));
  recordTradeIndex(ctx, request);
  try {
    await ctx.escrow.requestSellerPayment(taken, request.message.request_id);
  } catch (error) {
    undoTake(ctx, taken);
    throw error;
  }
}
