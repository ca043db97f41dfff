// rate-user (protocol.md §9): a party rates the counterparty of a finished trade, 1..5, once per
// side. The vote goes to the counterparty's identity with a correct running mean (db/users.ts
// recordRating; the reference's mean is skewed, see protocol trade/rating.ts). Silent outcomes
// follow the reference: a second vote, a stranger, and a full-private counterparty (nothing may
// accrue to a full-private user) get no reply; a value outside 1..5 is an internal error (no reply).
import { isValidRating } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import { getOrder } from '../db/orders.ts';
import { recordRating } from '../db/users.ts';
import { setOrder } from '../orders/update.ts';
import { queueRating } from '../publish/rating.ts';
import type { AppContext } from './context.ts';
import { CantDo, SilentDrop } from './errors.ts';
import { reply, roleOf } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

export async function rateUser(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  const role = roleOf(order, request.sender);
  if (!role || !order.buyer_pubkey || !order.seller_pubkey) throw new SilentDrop('rate-user from a non-party');
  // The seller may rate as soon as the sats are released; the buyer once paid.
  if (!(order.status === 'success' || (order.status === 'settled-hold-invoice' && role === 'seller'))) {
    throw new CantDo('invalid_order_status');
  }
  if (role === 'buyer' ? order.buyer_sent_rate : order.seller_sent_rate) throw new SilentDrop('already rated');
  const payload = request.message.payload;
  const vote = payload && 'rating_user' in payload ? payload.rating_user : null;
  if (vote === null || !isValidRating(vote)) throw new Error(`rate-user: invalid rating ${String(vote)}`);
  const rated = role === 'buyer' ? order.master_seller_pubkey : order.master_buyer_pubkey;
  if (rated === null) throw new SilentDrop('counterparty is in full private mode');

  const now = ctx.clock.now();
  // Claim the side's flag, apply the vote and answer together: a racing duplicate cannot count twice.
  const counted = transaction(ctx.db, () => {
    const fresh = getOrder(ctx.db, order.id)!;
    if (role === 'buyer' ? fresh.buyer_sent_rate : fresh.seller_sent_rate) return false;
    setOrder(ctx, fresh, role === 'buyer' ? { buyer_sent_rate: true } : { seller_sent_rate: true });
    recordRating(ctx.db, rated, vote, now);
    queueRating(ctx.db, { d: request.sender, rated }, now);
    void reply(ctx, request, 'rate-received', { id: order.id, payload: { rating_user: vote } });
    return true;
  });
  if (!counted) throw new SilentDrop('already rated');
}
