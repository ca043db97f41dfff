// A bond's hold invoice: create it, release it (cancel = the party keeps its sats), slash it
// (settle = the node takes them). As in the escrow (src/escrow/README.md), the bond's new state
// and a journal entry are persisted before every Lightning call and its outcome after it, so a crash
// leaves an intent that the bond jobs and start-up reconciliation finish; the messages of a step are
// outbox rows written in the transaction of its outcome, so they go out exactly once.
import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { AppContext } from '../app/context.ts';
import { type BondRow, type BondState, getBond, insertBond, type NewBond, updateBond } from '../db/bonds.ts';
import { appendJournal } from '../db/journal.ts';
import { transaction } from '../db/open.ts';
import { getOrder } from '../db/orders.ts';
import type { LnError } from '../lightning/backend.ts';
import { askForClaimInvoice, bondOrder, tellBonded } from './notify.ts';

export const bondMemo = (orderId: string): string => `mostro bond order_id=${orderId}`;

/** Steps worth a line in the node's log (one per bond event an operator follows; never a key). */
const LOGGED_STEPS: Readonly<Record<string, string>> = {
  'bond.added': 'bond requested',
  'bond.locked': 'bond locked',
  'bond.canceled': 'bond released',
  'bond.settled': 'bond slashed',
  'bond.payout.succeeded': 'bond share paid',
};

export function journalBond(ctx: AppContext, bond: BondRow, step: string, detail: object = {}): void {
  appendJournal(ctx.db, bond.order_id, step, { bond: bond.id, ...detail }, ctx.clock.now());
  const line = LOGGED_STEPS[step];
  if (line) ctx.log.info(`${line}: ${bond.role} bond of ${bond.amount_sats} sats, order ${bond.order_id.slice(0, 8)}`);
}

export type BondAsk = Omit<NewBond, 'id' | 'hash' | 'preimage' | 'created_at'>;

/**
 * Creates the bond's hold invoice. `announce` runs in the transaction that records it (send
 * pay-bond-invoice, move the order). Returns the error when the backend refused: nothing is
 * locked then and the bond is closed.
 */
export async function createBond(
  ctx: AppContext,
  ask: BondAsk,
  expirySeconds: number,
  announce: (bond: BondRow) => void,
): Promise<{ ok: true; bond: BondRow } | { ok: false; error: LnError }> {
  const preimageBytes = randomBytes(32);
  const intent = transaction(ctx.db, () => {
    const b = insertBond(ctx.db, {
      ...ask,
      id: randomUUID(),
      preimage: bytesToHex(preimageBytes),
      hash: bytesToHex(sha256(preimageBytes)),
      created_at: ctx.clock.now(),
    });
    journalBond(ctx, b, 'bond.add', { hash: b.hash, amountSats: b.amount_sats, role: b.role });
    return b;
  });
  const r = await ctx.lightning.addHoldInvoice({
    hash: intent.hash,
    amountSats: intent.amount_sats,
    memo: bondMemo(intent.order_id),
    expirySeconds,
    cltvDelta: ctx.settings.anti_abuse_bond.bond_cltv_delta,
  });
  if (!r.ok) {
    journalBond(ctx, intent, 'bond.add.failed', r.error);
    // An unreachable backend may still have created it: release it so nobody can lock sats in it.
    await releaseBond(ctx, intent).catch(() => undefined);
    return { ok: false, error: r.error };
  }
  const bond = transaction(ctx.db, () => {
    const b = updateBond(ctx.db, intent, { state: 'requested', request: r.value.request }, ['creating']);
    journalBond(ctx, b, 'bond.added', { request: r.value.request });
    announce(b);
    return b;
  });
  return { ok: true, bond };
}

const RELEASABLE: readonly BondState[] = ['creating', 'requested', 'locked', 'releasing'];

/**
 * Gives the bond back: decision first (`releasing`), then the cancel; a failed call leaves the
 * decision for the sweep. Returns the bond as it ends up.
 */
export async function releaseBond(ctx: AppContext, seen: BondRow, why = 'released'): Promise<BondRow> {
  const fresh = getBond(ctx.db, seen.id) ?? seen;
  if (!RELEASABLE.includes(fresh.state)) return fresh;
  const deciding = transaction(ctx.db, () => {
    const b = fresh.state === 'releasing' ? fresh : updateBond(ctx.db, fresh, { state: 'releasing' }, RELEASABLE);
    journalBond(ctx, b, 'bond.cancel', { why });
    return b;
  });
  const r = await ctx.lightning.cancelHoldInvoice(deciding.hash);
  if (!r.ok && r.error.code !== 'not_found') {
    journalBond(ctx, deciding, 'bond.cancel.failed', r.error);
    ctx.log.warn(`bond ${deciding.id} of order ${deciding.order_id} not released yet; the bond job retries`);
    return deciding;
  }
  return transaction(ctx.db, () => {
    const b = updateBond(ctx.db, deciding, { state: 'released', closed_at: ctx.clock.now() }, ['releasing']);
    journalBond(ctx, b, 'bond.canceled', {});
    return b;
  });
}

export interface SlashDecision {
  reason: 'solver' | 'timeout';
  /** The wronged party's trade key and transport; null = nobody claims, the node keeps it all. */
  recipient: { pubkey: string; transport: BondRow['transport'] } | null;
  winnerSats: number;
}

/** Persists the decision to slash a locked bond (before the order's own state changes). */
export function decideSlash(ctx: AppContext, bond: BondRow, decision: SlashDecision): BondRow {
  const b = updateBond(
    ctx.db,
    bond,
    {
      state: 'slashing',
      slash_reason: decision.reason,
      closed_at: ctx.clock.now(),
      payout_recipient: decision.recipient?.pubkey ?? null,
      payout_transport: decision.recipient?.transport ?? null,
      payout_sats: decision.recipient ? decision.winnerSats : 0,
    },
    ['locked'],
  );
  journalBond(ctx, b, 'bond.settle', { reason: decision.reason, winnerSats: b.payout_sats });
  return b;
}

/**
 * Carries out a persisted slash: settles the bond's hold invoice; once settled, the loser gets
 * `bond-slashed` and the winner `add-bond-invoice`. Safe to call again (jobs, reconciliation).
 */
export async function carryOutSlash(ctx: AppContext, seen: BondRow): Promise<BondRow> {
  const bond = getBond(ctx.db, seen.id) ?? seen;
  if (bond.state !== 'slashing') return bond;
  const r = await ctx.lightning.settleHoldInvoice(bond.preimage);
  if (!r.ok) {
    journalBond(ctx, bond, 'bond.settle.failed', r.error);
    const now = await ctx.lightning.getHoldInvoice(bond.hash);
    if (now.ok && now.value.state === 'settled') return recordSlashed(ctx, bond);
    if ((now.ok && now.value.state === 'canceled') || (!now.ok && now.error.code === 'not_found')) {
      // The HTLC is gone (expired, or canceled outside the node): the party kept its sats.
      ctx.log.error(`bond ${bond.id} of order ${bond.order_id} could not be slashed: its hold invoice is gone`);
      return transaction(ctx.db, () => {
        const b = updateBond(ctx.db, bond, { state: 'released', payout_recipient: null, payout_sats: 0 }, ['slashing']);
        journalBond(ctx, b, 'bond.settle.lost', {});
        return b;
      });
    }
    return bond;
  }
  return recordSlashed(ctx, bond);
}

function recordSlashed(ctx: AppContext, bond: BondRow): BondRow {
  return transaction(ctx.db, () => {
    const b = updateBond(ctx.db, bond, { state: 'slashed', payout_asked_at: ctx.clock.now() }, ['slashing']);
    journalBond(ctx, b, 'bond.settled', {});
    const order = getOrder(ctx.db, b.order_id);
    if (order) {
      tellBonded(ctx, b, 'bond-slashed', { payload: { order: bondOrder(order, b.amount_sats, null) } });
      askForClaimInvoice(ctx, b, order);
    }
    return b;
  });
}
