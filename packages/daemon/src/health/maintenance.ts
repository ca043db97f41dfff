// Maintenance (drain) mode (reference-0.20.md §4.1): while on, the node refuses new trades
// (`new-order`, `take-buy`, `take-sell` → `maintenance_mode`) and keeps serving every existing one.
// Set by the operator or, for an LND that stays unsynced, by the node itself (`automatic`); the
// state survives restarts. The info event's `maintenance_mode` tag and the health event read it here.
import { getKv, setKv } from '../db/kv.ts';
import type { Db } from '../db/open.ts';

export interface MaintenanceState {
  enabled: boolean;
  reason: string | null;
  since: number | null;
  /** Entered by the node itself (LND unsynced); only then does the node lift it by itself. */
  automatic: boolean;
}

/** The reason the node uses for its own maintenance; an operator may not set it. */
export const LND_UNSYNCED = 'lnd_unsynced';

const KEY = 'maintenance';
const OFF: MaintenanceState = { enabled: false, reason: null, since: null, automatic: false };

export function getMaintenance(db: Db): MaintenanceState {
  return getKv<MaintenanceState>(db, KEY) ?? OFF;
}

/** Sets the state; true when it changed (callers republish the info and health events then). */
export function setMaintenance(
  db: Db,
  next: { enabled: boolean; reason?: string | null; automatic?: boolean },
  now: number,
): boolean {
  const current = getMaintenance(db);
  const state: MaintenanceState = next.enabled
    ? {
        enabled: true,
        reason: next.reason ?? null,
        since: current.enabled ? current.since : now,
        automatic: next.automatic ?? false,
      }
    : OFF;
  const changed =
    state.enabled !== current.enabled || state.reason !== current.reason || state.automatic !== current.automatic;
  if (changed) setKv(db, KEY, state, now);
  return changed;
}

/** Actions refused while maintenance is on (§2.2 step 8). */
export const REFUSED_IN_MAINTENANCE: ReadonlySet<string> = new Set(['new-order', 'take-buy', 'take-sell']);
