// A take with taker bonds on (protocol.md §5.12): the taker gets `pay-bond-invoice` and the order
// waits in `waiting-taker-bond` (still published as pending: others may race); the take itself is
// stored with the bond and carried out when the bond locks (lock.ts). Re-sending the take re-sends
// the same bond invoice.

import type { AppContext } from '../app/context.ts';
import { CantDo } from '../app/errors.ts';
import { escrowOf } from '../app/escrow.ts';
import type { Request } from '../app/request.ts';
import type { Take } from '../app/take.ts';
import { recordTradeIndex } from '../app/trade-index.ts';
import { listBondsOfOrder } from '../db/bonds.ts';
import { getOrder } from '../db/orders.ts';
import { EscrowError } from '../escrow/error.ts';
import { setOrder } from '../orders/update.ts';
import { createBond, releaseBond } from './hold.ts';
import type { StoredTake } from './lock.ts';
import { bondLockKey } from './lock-key.ts';
import { sendPayBondInvoice } from './notify.ts';
import { bondSats } from './policy.ts';
import { watchBond } from './watch.ts';

export async function requestTakerBond(
  ctx: AppContext,
  request: Request,
  take: Take,
  invoice: string | null,
): Promise<void> {
  const mine = listBondsOfOrder(ctx.db, take.order.id).filter((b) => b.role === 'taker' && b.pubkey === request.sender);
  const waiting = mine.find((b) => b.state === 'requested');
  if (waiting) {
    sendPayBondInvoice(ctx, waiting, take.order);
    return;
  }
  if (mine.some((b) => b.state === 'creating' || b.state === 'locked')) throw new CantDo('invalid_order_status');

  const stored: StoredTake = { kind: take.order.kind, patch: take.patch, invoice };
  const created = await createBond(
    ctx,
    {
      order_id: take.order.id,
      role: 'taker',
      pubkey: request.sender,
      transport: request.transport,
      amount_sats: bondSats(ctx.settings, take.patch.amount ?? take.order.amount),
      take: JSON.stringify(stored),
      request_id: request.message.request_id === null ? null : String(request.message.request_id),
      trade_index: request.message.trade_index,
    },
    ctx.settings.lightning.hold_invoice_expiration_window,
    (bond) => {
      // Synchronous inside the bond's transaction: the order read here cannot change under it.
      const order = getOrder(ctx.db, take.order.id);
      if (order?.status !== 'pending' && order?.status !== 'waiting-taker-bond') return;
      const racing =
        order.status === 'pending' ? setOrder(ctx, order, { status: 'waiting-taker-bond' }, 'pending') : order;
      recordTradeIndex(ctx, request);
      sendPayBondInvoice(ctx, bond, racing);
    },
  );
  if (!created.ok) throw new EscrowError(take.order.id, 'bond.add', created.error);
  const order = getOrder(ctx.db, take.order.id);
  if (order?.status !== 'waiting-taker-bond') {
    // Someone else's bond locked while ours was being created: this take lost the race.
    await escrowOf(ctx).lock.run(bondLockKey(order?.id ?? take.order.id), () =>
      releaseBond(ctx, created.bond, 'race lost'),
    );
    throw new CantDo('invalid_order_status');
  }
  watchBond(ctx, created.bond);
}
