// declare-payer (reference-0.20.md §4.5): the buyer commits to who pays the fiat, as a hash of the
// payer's details, while the trade is before fiat-sent. Both parties get `payer-declared` with the
// hash: the buyer as the reply (request_id echoed), the seller unsolicited (request_id null).
import { isValidPaymentHash } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import { declarePayer as storeDeclaration } from '../db/payer-declarations.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { notify, reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

const DECLARABLE: ReadonlySet<string> = new Set(['waiting-payment', 'waiting-buyer-invoice', 'active']);

export async function declarePayer(ctx: AppContext, request: Request): Promise<void> {
  if (!ctx.settings.payer_history.enabled) throw new CantDo('invalid_action');
  const order = requireOrder(ctx, request);
  if (order.buyer_pubkey !== request.sender) throw new CantDo('invalid_pubkey');
  if (!DECLARABLE.has(order.status)) throw new CantDo('not_allowed_by_status');
  const payload = request.message.payload;
  const hash = payload && 'payer_declaration' in payload ? payload.payer_declaration.payment_hash : null;
  if (!isValidPaymentHash(hash)) throw new CantDo('invalid_payment_hash');
  const declared = { payer_declaration: { payment_hash: hash } };
  // The declaration and both notices commit together.
  transaction(ctx.db, () => {
    storeDeclaration(ctx.db, {
      order_id: order.id,
      payment_hash: hash,
      declared_at: ctx.clock.now(),
      buyer_pubkey: request.sender,
    });
    void reply(ctx, request, 'payer-declared', { id: order.id, payload: declared });
    void notify(ctx, order, 'seller', 'payer-declared', { payload: declared });
  });
}
