// The bonds aggregate (migration 007). State changes are conditional on the state read, so two
// racing paths (a lock notification and the release sweep) cannot both act on one bond.
import type { Transport } from '@mostro/protocol';
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export type BondState = 'creating' | 'requested' | 'locked' | 'releasing' | 'released' | 'slashing' | 'slashed';
export type BondPayoutState = 'none' | 'in_flight' | 'succeeded' | 'failed';

export interface BondRow {
  id: string;
  order_id: string;
  role: 'maker' | 'taker';
  pubkey: string;
  transport: Transport;
  amount_sats: number;
  hash: string;
  preimage: string;
  request: string | null;
  state: BondState;
  take: string | null;
  request_id: string | null;
  trade_index: number | null;
  created_at: number;
  locked_at: number | null;
  closed_at: number | null;
  slash_reason: 'solver' | 'timeout' | null;
  payout_recipient: string | null;
  payout_transport: Transport | null;
  payout_sats: number;
  payout_invoice: string | null;
  payout_hash: string | null;
  payout_state: BondPayoutState;
  payout_attempts: number;
  payout_sent_at: number | null;
  payout_asked_at: number | null;
}

export type NewBond = Pick<
  BondRow,
  | 'id'
  | 'order_id'
  | 'role'
  | 'pubkey'
  | 'transport'
  | 'amount_sats'
  | 'hash'
  | 'preimage'
  | 'take'
  | 'request_id'
  | 'trade_index'
  | 'created_at'
>;
export type BondPatch = Partial<Omit<BondRow, 'id' | 'order_id' | 'hash' | 'preimage'>>;

/** States in which the bond's hold invoice may still hold (or come to hold) the party's sats. */
export const LIVE_BOND_STATES: readonly BondState[] = ['creating', 'requested', 'locked', 'releasing', 'slashing'];

export function insertBond(db: Db, bond: NewBond): BondRow {
  stmt(
    db,
    `INSERT INTO bonds (id, order_id, role, pubkey, transport, amount_sats, hash, preimage, take, request_id,
       trade_index, created_at, state)
     VALUES (@id, @order_id, @role, @pubkey, @transport, @amount_sats, @hash, @preimage, @take, @request_id,
       @trade_index, @created_at, 'creating')`,
  ).run(bond);
  return getBond(db, bond.id)!;
}

export function getBond(db: Db, id: string): BondRow | undefined {
  return stmt(db, 'SELECT * FROM bonds WHERE id = ?').get(id) as BondRow | undefined;
}

export function getBondByHash(db: Db, hash: string): BondRow | undefined {
  return stmt(db, 'SELECT * FROM bonds WHERE hash = ?').get(hash) as BondRow | undefined;
}

export function listBondsOfOrder(db: Db, orderId: string): BondRow[] {
  return stmt(db, 'SELECT * FROM bonds WHERE order_id = ? ORDER BY created_at, id').all(orderId) as BondRow[];
}

export function listBondsByState(db: Db, states: readonly BondState[]): BondRow[] {
  return stmt(db, 'SELECT * FROM bonds WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at, id').all(
    JSON.stringify(states),
  ) as BondRow[];
}

/** Slashed bonds whose share has a recipient and is not paid yet. */
export function listUnpaidClaims(db: Db): BondRow[] {
  return stmt(
    db,
    `SELECT * FROM bonds WHERE state = 'slashed' AND payout_recipient IS NOT NULL AND payout_state != 'succeeded'
     ORDER BY closed_at, id`,
  ).all() as BondRow[];
}

export class BondConflict extends Error {
  constructor(readonly bondId: string) {
    super(`bond ${bondId} changed meanwhile`);
  }
}

/** Applies `patch` if the bond is still in one of `ifStates`; returns the new row or throws BondConflict. */
export function updateBond(
  db: Db,
  bond: BondRow,
  patch: BondPatch,
  ifStates: readonly BondState[] = [bond.state],
): BondRow {
  const keys = Object.keys(patch);
  if (keys.length > 0) {
    const sets = keys.map((k) => `${k} = @${k}`).join(', ');
    const r = db
      .prepare(`UPDATE bonds SET ${sets} WHERE id = @__id AND state IN (SELECT value FROM json_each(@__states))`)
      .run({ ...patch, __id: bond.id, __states: JSON.stringify(ifStates) });
    if (r.changes !== 1) throw new BondConflict(bond.id);
  }
  return getBond(db, bond.id)!;
}
