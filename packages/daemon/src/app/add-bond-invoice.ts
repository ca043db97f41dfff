// add-bond-invoice (protocol.md §5.12): the wronged party of a slashed bond sends the invoice for
// its share, within the claim window; answered `bond-invoice-accepted`, then paid in the background
// (bonds/claim.ts) and confirmed with `bond-payout-completed`.
import { getPaymentRequest } from '@mostro/protocol';
import { claimInvoiceProblem, claimLockKey, claimOpen, payClaim, storeClaimInvoice } from '../bonds/claim.ts';
import { bondOrder } from '../bonds/notify.ts';
import { getBond, listBondsOfOrder } from '../db/bonds.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { escrowOf } from './escrow.ts';
import { reply } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

export async function addBondInvoice(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  const claims = listBondsOfOrder(ctx.db, order.id).filter(
    (b) => b.state === 'slashed' && b.payout_recipient === request.sender && b.payout_state !== 'succeeded',
  );
  const claim = claims[0];
  if (!claim) throw new CantDo('is_not_your_order');
  if (!claimOpen(ctx, claim)) throw new CantDo('not_allowed_by_status', 'the claim window is over');
  const invoice = getPaymentRequest(request.message);
  if (invoice === null) throw new CantDo('invalid_payload');
  const problem = await claimInvoiceProblem(ctx, claim, invoice);
  if (problem) throw new CantDo('invalid_invoice', problem);
  const escrow = escrowOf(ctx);
  await escrow.lock.run(claimLockKey(claim.id), async () => {
    const fresh = getBond(ctx.db, claim.id);
    if (!fresh || fresh.payout_state === 'in_flight' || fresh.payout_state === 'succeeded') {
      throw new CantDo('not_allowed_by_status', 'a payout of this bond is under way or done');
    }
    storeClaimInvoice(ctx, fresh, invoice);
  });
  await reply(ctx, request, 'bond-invoice-accepted', {
    id: order.id,
    payload: { order: bondOrder(order, claim.payout_sats) },
  });
  escrow.spawn(`bond payout ${claim.id}`, () => payClaim(ctx, claim.id));
}
