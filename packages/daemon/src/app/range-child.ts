// Range order continuation (protocol.md §5.5): after a slice is released, what is left of the range
// becomes a new pending order of the same maker under the trade key the maker sent in advance.
import { randomUUID } from 'node:crypto';
import { childOrderTerms } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import { insertOrder } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import { makerRole, message, partyTransport, queueOrderEvent, smallOrder } from './messages.ts';

/** A `next_trade` key must be a public key the child order can be sent to. */
export const isTradeKey = (key: string): boolean => /^[0-9a-f]{64}$/.test(key);

/**
 * Creates, announces and publishes the child order in one transaction (the row, the maker's
 * new-order and the 38383 commit together); null without a next trade key or range left.
 */
export function createRangeChild(ctx: AppContext, parent: OrderRow): OrderRow | null {
  if (parent.min_amount === null || parent.max_amount === null || !parent.next_trade_pubkey) return null;
  const terms = childOrderTerms(parent.min_amount, parent.max_amount, parent.fiat_amount);
  if (!terms) return null;
  const now = ctx.clock.now();
  const id = randomUUID();
  const maker = makerRole(parent);
  const transport = partyTransport(ctx, parent, maker);
  const key = parent.next_trade_pubkey;
  // A full-private maker has no identity here, so its key index means nothing to the node: keep none.
  const makerIdentity = maker === 'seller' ? parent.master_seller_pubkey : parent.master_buyer_pubkey;
  const index = makerIdentity === null ? null : parent.next_trade_index;
  return transaction(ctx.db, () => {
    const child = insertOrder(ctx.db, {
      id,
      kind: parent.kind,
      event_id: id,
      creator_pubkey: key,
      status: 'pending',
      payment_method: parent.payment_method,
      amount: 0,
      fiat_code: parent.fiat_code,
      fiat_amount: terms.fiat_amount,
      min_amount: terms.min_amount,
      max_amount: terms.max_amount,
      premium: parent.premium,
      price_from_api: true,
      range_parent_id: parent.id,
      created_at: now,
      expires_at: now + ctx.settings.mostro.expiration_hours * 3600,
      updated_at: now,
      ...(maker === 'seller'
        ? {
            seller_pubkey: key,
            master_seller_pubkey: parent.master_seller_pubkey,
            seller_transport: transport,
            trade_index_seller: index,
          }
        : {
            buyer_pubkey: key,
            master_buyer_pubkey: parent.master_buyer_pubkey,
            buyer_transport: transport,
            trade_index_buyer: index,
          }),
    });
    void ctx.outbox.send(
      { pubkey: key, transport },
      message('new-order', { id, trade_index: index, payload: { order: smallOrder(child) } }),
    );
    queueOrderEvent(ctx, child);
    return child;
  });
}
