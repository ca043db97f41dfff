// What a bond hold invoice's state means for its order: a maker's bond locked publishes the order;
// a taker's bond locked carries out the take (the first to lock wins, the other racing takers are
// released and told `canceled`); an unpaid bond that expired or was canceled undoes what waited
// for it. Every function here runs under the order's bond lock (lock-key.ts).
import type { AppContext } from '../app/context.ts';
import { message, queueOrderEvent, smallOrder } from '../app/messages.ts';
import { carryOutTakeBuy, carryOutTakeSell } from '../app/take-proceed.ts';
import { type BondRow, getBond, LIVE_BOND_STATES, listBondsOfOrder, updateBond } from '../db/bonds.ts';
import { transaction } from '../db/open.ts';
import { getOrder, type OrderPatch, type OrderRow } from '../db/orders.ts';
import type { HoldInvoice } from '../lightning/backend.ts';
import { setOrder } from '../orders/update.ts';
import { journalBond, releaseBond } from './hold.ts';
import { tellBonded } from './notify.ts';

const BLOCK_SECONDS = 600;

/** What a taker bond carries out when it locks (stored as JSON with the bond by taker.ts). */
export interface StoredTake {
  kind: 'sell' | 'buy';
  patch: OrderPatch;
  invoice: string | null;
}

/** The party paid the bond invoice (the backend says accepted). */
export async function onBondLocked(ctx: AppContext, seen: BondRow, invoice: HoldInvoice): Promise<void> {
  const bond = getBond(ctx.db, seen.id);
  if (bond?.state !== 'requested' && bond?.state !== 'creating') return;
  const locked = transaction(ctx.db, () => {
    const b = updateBond(ctx.db, bond, { state: 'locked', locked_at: ctx.clock.now() }, ['requested', 'creating']);
    journalBond(ctx, b, 'bond.locked', { htlcExpiryHeight: invoice.htlcExpiryHeight });
    return b;
  });
  const order = getOrder(ctx.db, locked.order_id);
  if (locked.role === 'maker') return makerLocked(ctx, locked, order, invoice);
  return takerLocked(ctx, locked, order);
}

/** A locked bond whose effect a crash interrupted (the order still waits for it): finish it. */
export async function resumeLockedBond(ctx: AppContext, bond: BondRow, invoice: HoldInvoice): Promise<void> {
  const order = getOrder(ctx.db, bond.order_id);
  if (bond.role === 'maker' && order?.status === 'waiting-maker-bond') return makerLocked(ctx, bond, order, invoice);
  if (bond.role === 'taker' && order?.status === 'waiting-taker-bond') return takerLocked(ctx, bond, order);
}

async function makerLocked(ctx: AppContext, bond: BondRow, order: OrderRow | undefined, invoice: HoldInvoice) {
  if (order?.status !== 'waiting-maker-bond') {
    await releaseBond(ctx, bond, 'order no longer waits for the bond');
    return;
  }
  const expiresAt = await clampedExpiry(ctx, order, invoice);
  transaction(ctx.db, () => {
    const pending = setOrder(ctx, order, { status: 'pending', expires_at: expiresAt }, 'waiting-maker-bond');
    journalBond(ctx, bond, 'bond.maker.published', { expiresAt });
    void ctx.outbox.send(
      { pubkey: bond.pubkey, transport: bond.transport },
      message('new-order', {
        id: pending.id,
        request_id: bond.request_id === null ? null : BigInt(bond.request_id),
        trade_index: bond.trade_index,
        payload: { order: smallOrder(pending, { withInvoice: true }) },
      }),
    );
    queueOrderEvent(ctx, pending);
  });
}

/**
 * reference-0.20.md §4.9: a maker-bonded order must end before its bond's HTLC can expire, with
 * room for a whole trade's hold invoice: now + (blocks left − hold CLTV − 144) × 600 s.
 */
export async function clampedExpiry(ctx: AppContext, order: OrderRow, invoice: HoldInvoice): Promise<number> {
  if (invoice.htlcExpiryHeight === null) return order.expires_at;
  const info = await ctx.lightning.getInfo();
  if (!info.ok) return order.expires_at;
  const blocksLeft = invoice.htlcExpiryHeight - info.value.blockHeight;
  const usable = blocksLeft - ctx.settings.lightning.hold_invoice_cltv_delta - 144;
  return Math.min(order.expires_at, ctx.clock.now() + Math.max(0, usable) * BLOCK_SECONDS);
}

async function takerLocked(ctx: AppContext, bond: BondRow, order: OrderRow | undefined): Promise<void> {
  const takeable = order?.status === 'waiting-taker-bond' && order.expires_at > ctx.clock.now();
  if (!order || !takeable || !bond.take) {
    await releaseBond(ctx, bond, 'order no longer takeable');
    tellBonded(ctx, bond, 'canceled');
    return;
  }
  const stored = JSON.parse(bond.take) as StoredTake;
  const take = {
    order,
    patch: { ...stored.patch, taken_at: ctx.clock.now() },
    invoice: stored.invoice,
    requestId: bond.request_id === null ? null : BigInt(bond.request_id),
    from: 'waiting-taker-bond' as const,
  };
  try {
    if (stored.kind === 'sell') await carryOutTakeSell(ctx, take);
    else await carryOutTakeBuy(ctx, take);
  } catch (error) {
    ctx.log.warn(`bond: the take of order ${order.id} could not be carried out`, error);
    await releaseBond(ctx, bond, 'take failed');
    tellBonded(ctx, bond, 'canceled');
    await backToPendingIfNobodyRaces(ctx, order.id);
    return;
  }
  // The race is decided: every other taker's bond is given back.
  for (const other of listBondsOfOrder(ctx.db, order.id)) {
    if (other.id === bond.id || other.role !== 'taker' || !LIVE_BOND_STATES.includes(other.state)) continue;
    if (other.state === 'slashing') continue;
    await releaseBond(ctx, other, 'another taker won');
    tellBonded(ctx, other, 'canceled');
  }
}

/** An order in waiting-taker-bond whose last racing bond is gone goes back to plain pending. */
export async function backToPendingIfNobodyRaces(ctx: AppContext, orderId: string): Promise<void> {
  const order = getOrder(ctx.db, orderId);
  if (order?.status !== 'waiting-taker-bond') return;
  const racing = listBondsOfOrder(ctx.db, orderId).some(
    (b) => b.role === 'taker' && (b.state === 'creating' || b.state === 'requested' || b.state === 'locked'),
  );
  if (!racing) setOrder(ctx, order, { status: 'pending' }, 'waiting-taker-bond');
}

/**
 * A bond nobody paid is over (its invoice expired or was canceled, or its deadline passed): the
 * taker's take is undone (`canceled`), a maker's order expires (`canceled`, never published).
 */
export async function onBondUnpaid(ctx: AppContext, seen: BondRow, why: string): Promise<void> {
  const bond = getBond(ctx.db, seen.id);
  if (bond?.state !== 'requested' && bond?.state !== 'creating') return;
  const released = await releaseBond(ctx, bond, why);
  if (released.state !== 'released') return; // the sweep finishes it and comes back here no more
  tellBonded(ctx, released, 'canceled');
  if (released.role === 'taker') return backToPendingIfNobodyRaces(ctx, released.order_id);
  const order = getOrder(ctx.db, released.order_id);
  if (order?.status === 'waiting-maker-bond') setOrder(ctx, order, { status: 'expired' }, 'waiting-maker-bond');
}
