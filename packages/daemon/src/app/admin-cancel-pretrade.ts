// admin-cancel of an order nobody has taken yet (reference-0.20.md §4.9): only the node key may do
// it (the operator's CancelOrder RPC acts as the node); a solver over Nostr gets not_authorized,
// since a pre-trade order has no dispute for a solver to decide. No sats are locked before a take,
// so the order only changes status: canceled-by-admin (published `canceled`), the maker is told.
import type { OrderStatus } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { makerRole, notify, queueOrderEvent, reply } from './messages.ts';
import type { Request } from './request.ts';

/** The statuses CancelOrder's `pretrade_only` accepts (no taker, no escrow). */
export const PRETRADE_STATUSES: readonly OrderStatus[] = ['pending', 'waiting-taker-bond', 'waiting-maker-bond'];

export const isPretrade = (order: Pick<OrderRow, 'status'>): boolean => PRETRADE_STATUSES.includes(order.status);

export async function adminCancelPretrade(ctx: AppContext, request: Request, order: OrderRow): Promise<void> {
  if (request.identity !== ctx.nodePubkey) throw new CantDo('not_authorized');
  // The cancel, both messages and the revision commit together.
  transaction(ctx.db, () => {
    const canceled = setOrder(ctx, order, { status: 'canceled-by-admin' }, order.status);
    void reply(ctx, request, 'admin-canceled', { id: order.id });
    void notify(ctx, canceled, makerRole(canceled), 'admin-canceled');
    queueOrderEvent(ctx, canceled);
  });
}
