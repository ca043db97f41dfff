// fiat-sent (protocol.md §5.7 step 5): the buyer says the fiat is on its way. A buyer-maker of a
// range order sends the next trade key for the child order here (§5.5).
// Beyond the reference: the buyer's invoice is probed now, while the seller still has to release;
// if no route is found the buyer is asked for another invoice (`add-invoice`) before the seller's
// sats are taken, instead of after a failed payout.
import { getNextTrade } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import { getOrder } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import { makerRole, notify, queueOrderEvent, smallOrder } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import { checkPayerDeclared, pushPaymentHistory } from './payment-history.ts';
import { isTradeKey } from './range-child.ts';
import type { Request } from './request.ts';

export async function fiatSent(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  if (order.status !== 'active') throw new CantDo('not_allowed_by_status');
  if (order.buyer_pubkey !== request.sender) throw new CantDo('invalid_peer');
  const next = getNextTrade(request.message);
  if (next !== null && !isTradeKey(next.pubkey)) throw new CantDo('invalid_pubkey');
  checkPayerDeclared(ctx, order);
  const keepNext = next !== null && makerRole(order) === 'buyer' && order.min_amount !== null;
  // The state change and its messages (outbox rows) commit together.
  const sent = transaction(ctx.db, () => {
    const o = setOrder(ctx, order, {
      status: 'fiat-sent',
      buyer_transport: request.transport,
      ...(keepNext ? { next_trade_pubkey: next.pubkey, next_trade_index: next.index } : {}),
    });
    void notify(ctx, o, 'seller', 'fiat-sent-ok', { payload: { peer: { pubkey: o.buyer_pubkey!, reputation: null } } });
    void notify(ctx, o, 'buyer', 'fiat-sent-ok', {
      request_id: request.message.request_id,
      payload: { peer: { pubkey: o.seller_pubkey!, reputation: null } },
    });
    void pushPaymentHistory(ctx, o);
    queueOrderEvent(ctx, o);
    return o;
  });

  const escrow = escrowOf(ctx);
  escrow.spawn(`probe at fiat-sent of ${sent.id}`, async () => {
    const verdict = await escrow.probe(sent);
    const now = getOrder(ctx.db, sent.id);
    if (verdict.verdict === 'unpayable' && now?.status === 'fiat-sent' && now.buyer_invoice === sent.buyer_invoice) {
      await notify(ctx, now, 'buyer', 'add-invoice', { payload: { order: smallOrder(now, { view: 'buyer' }) } });
    }
  });
}
