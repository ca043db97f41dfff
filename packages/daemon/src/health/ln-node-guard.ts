// The Lightning-node change guard (reference-0.20.md §4.1): the hold invoices of open trades live in
// one LND. Started against another LND, the node could neither settle nor cancel them — sellers'
// sats would stay locked until their HTLCs time out and buyers would never be paid. So the node
// remembers the LND it first ran with and refuses another one while anything is still in escrow,
// unless the operator says the change is deliberate (`[lightning].allow_node_change`).
import { getKv, setKv } from '../db/kv.ts';
import type { Db } from '../db/open.ts';
import { drainCounters, isDrained } from './drain.ts';

const KEY = 'ln_node_pubkey';

export const storedLnNode = (db: Db): string | null => getKv<string>(db, KEY) ?? null;

export type LnNodeCheck =
  | { ok: true; warning: string | null }
  | {
      ok: false;
      error: string;
    };

/** Checks `current` against the stored LND and, when the node may go on, stores it. */
export function checkLnNode(db: Db, current: string, allowChange: boolean, now: number): LnNodeCheck {
  // The simulated network and an LND that did not answer have no identity to compare.
  if (current === '') return { ok: true, warning: null };
  const stored = storedLnNode(db);
  if (stored === null || stored === current) {
    if (stored === null) setKv(db, KEY, current, now);
    return { ok: true, warning: null };
  }
  const counters = drainCounters(db);
  const change = `the Lightning node changed from ${stored} to ${current}`;
  if (!isDrained(counters) && !allowChange) {
    return {
      ok: false,
      error:
        `${change} while ${counters.escrowed_orders} escrows and ${counters.inflight_payouts} payouts are open ` +
        'on the old one: start with the old node until they close (maintenance mode drains them), ' +
        'or set lightning.allow_node_change = true if the change is deliberate',
    };
  }
  setKv(db, KEY, current, now);
  return {
    ok: true,
    warning: isDrained(counters)
      ? `${change} (nothing was open on the old one)`
      : `${change} with open escrows (allowed by lightning.allow_node_change): they cannot be settled or canceled from here`,
  };
}
