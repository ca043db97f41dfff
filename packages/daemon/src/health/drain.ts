// Drain counters (reference-0.20.md §4.1, §6 `DrainCounters`): what still holds or moves sats. An
// operator who wants to stop or migrate the node turns maintenance on and waits until A–E are 0:
// then no hold invoice, payout, dev fee or bond depends on this node any more.
import { countInflightDevFees } from '../db/dev-fees.ts';
import type { Db } from '../db/open.ts';

export interface DrainCounters {
  /** A: hold invoices issued or accepted, neither settled nor canceled yet. */
  escrowed_orders: number;
  /** B: hold invoices settled, the buyer not paid yet. */
  inflight_payouts: number;
  /** C: development fees being paid: claimed by a run, or a payment awaiting its verdict by hash. */
  inflight_dev_fees: number;
  /** D: anti-abuse bonds still locked (this node takes none yet: always 0). */
  open_bonds: number;
  /** E: slashed bonds still to be paid out (always 0, as D). */
  pending_bond_payouts: number;
  /** Informational: orders on the book, waiting for a taker; they lock no sats. */
  pending_orders: number;
}

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

export function drainCounters(db: Db): DrainCounters {
  return {
    escrowed_orders: count(db, `SELECT COUNT(*) AS n FROM orders WHERE hold_state IN ('open', 'accepted')`),
    inflight_payouts: count(db, `SELECT COUNT(*) AS n FROM orders WHERE status = 'settled-hold-invoice'`),
    inflight_dev_fees: countInflightDevFees(db),
    open_bonds: 0,
    pending_bond_payouts: 0,
    pending_orders: count(db, `SELECT COUNT(*) AS n FROM orders WHERE status = 'pending'`),
  };
}

/** Drained: nothing in escrow or in flight (A–E are 0); pending orders do not count. */
export const isDrained = (c: DrainCounters): boolean =>
  c.escrowed_orders + c.inflight_payouts + c.inflight_dev_fees + c.open_bonds + c.pending_bond_payouts === 0;
