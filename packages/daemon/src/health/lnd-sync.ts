// LND sync monitor (reference-0.20.md §4.2): asks the backend every 15 s whether it is synced to
// the chain. Unsynced or unreachable for 60 s → outgoing payments wait (a payout is not attempted,
// so it consumes no attempt and sends no payment-failed/add-invoice). Unsynced (not unreachable)
// for `lnd_unsynced_fail_after` → `lnd_sync` fails and, if allowed, the node enters maintenance
// itself; `lnd_resynced_clear_after` seconds synced lift it again, if it is still the node's own.
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import { getMaintenance, LND_UNSYNCED, setMaintenance } from './maintenance.ts';

export const PAYMENT_DEFER_AFTER_SECONDS = 60;
export const SYNC_POLL_SECONDS = 15;

export type CheckState = 'ok' | 'warn' | 'fail' | 'unknown';

export interface SyncSettings {
  lnd_unsynced_fail_after: number;
  auto_maintenance_on_lnd_unsynced: boolean;
  lnd_resynced_clear_after: number;
}

export interface SyncObservation {
  /** Last answer: null = LND did not answer. */
  synced: boolean | null;
  blockHeight: number | null;
}

export class LndSyncMonitor {
  /** Called after the node changed the maintenance state itself (the scheduler republishes info). */
  onMaintenanceChange: (() => void | Promise<void>) | null = null;
  /** Since when LND has been unsynced or unreachable (null: synced). */
  #badSince: number | null = null;
  /** Since when it has been synced (null: not synced). */
  #syncedSince: number | null = null;
  #last: SyncObservation = { synced: null, blockHeight: null };
  #state: CheckState = 'unknown';
  #stateSince: number;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      lightning: LightningBackend;
      settings: SyncSettings;
    },
  ) {
    this.#stateSince = deps.clock.now();
  }

  /** One poll: ask the backend, update the state, enter or leave automatic maintenance. */
  async poll(): Promise<void> {
    const info = await this.deps.lightning.getInfo();
    this.observe(info.ok ? { synced: info.value.syncedToChain, blockHeight: info.value.blockHeight } : null);
    await this.#maintain();
  }

  /** Records an observation (null = unreachable); pure bookkeeping, exposed for tests. */
  observe(observation: SyncObservation | null): void {
    const now = this.deps.clock.now();
    this.#last = observation ?? { synced: null, blockHeight: this.#last.blockHeight };
    if (observation?.synced === true) {
      this.#badSince = null;
      this.#syncedSince ??= now;
    } else {
      this.#badSince ??= now;
      this.#syncedSince = null;
    }
    const state = this.#checkState(now);
    if (state !== this.#state) {
      this.#state = state;
      this.#stateSince = now;
    }
  }

  /** Outgoing payments wait: unsynced or unreachable for more than a minute. */
  paymentsDeferred(): boolean {
    return this.#badSince !== null && this.deps.clock.now() - this.#badSince >= PAYMENT_DEFER_AFTER_SECONDS;
  }

  /** The `lnd_sync` check of the health event: state and when it entered it. */
  check(): { state: CheckState; since: number; synced: boolean | null; blockHeight: number | null } {
    return { state: this.#state, since: this.#stateSince, ...this.#last };
  }

  #checkState(now: number): CheckState {
    if (this.#last.synced === null) return 'unknown';
    if (this.#last.synced) return 'ok';
    const unsyncedFor = now - (this.#badSince ?? now);
    return unsyncedFor >= this.deps.settings.lnd_unsynced_fail_after ? 'fail' : 'warn';
  }

  async #maintain(): Promise<void> {
    const { db, clock, settings } = this.deps;
    const now = clock.now();
    const current = getMaintenance(db);
    let changed = false;
    if (this.#state === 'fail' && settings.auto_maintenance_on_lnd_unsynced && !current.enabled) {
      changed = setMaintenance(db, { enabled: true, reason: LND_UNSYNCED, automatic: true }, now);
    } else if (
      current.enabled &&
      current.automatic &&
      current.reason === LND_UNSYNCED &&
      this.#syncedSince !== null &&
      now - this.#syncedSince >= settings.lnd_resynced_clear_after
    ) {
      changed = setMaintenance(db, { enabled: false }, now);
    }
    if (changed) await this.onMaintenanceChange?.();
  }
}
