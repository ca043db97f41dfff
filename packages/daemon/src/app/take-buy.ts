// take-buy (protocol.md §5.8 step 2): a seller takes a buy order; the hold invoice is created at once.

import { transaction } from '../db/open.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';
import { claim, prepareTake, undoTake } from './take.ts';
import { recordTradeIndex } from './trade-index.ts';

export async function takeBuy(ctx: AppContext, request: Request): Promise<void> {
  const take = prepareTake(ctx, request, 'buy');
  // The take and the trade index commit together; the messages come with the hold invoice (escrow).
  const taken = transaction(ctx.db, () => {
    const o = claim(() => setOrder(ctx, take.order, { ...take.patch, status: 'waiting-payment' }, 'pending'));
    recordTradeIndex(ctx, request);
    return o;
  });
  try {
    await ctx.escrow.requestSellerPayment(taken, request.message.request_id);
  } catch (error) {
    undoTake(ctx, taken);
    throw error;
  }
}
