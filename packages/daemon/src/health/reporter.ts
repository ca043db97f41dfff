// The kind-38389 health event (reference-0.20.md §3.5): evaluated every 15 s, published every
// `[health].interval` (clamped to 30..3600) and at once when the status, a check's state or the
// maintenance state changes — never twice within 10 s. `seq` and `created_at` survive restarts.
import {
  buildHealthEvent,
  conversationKey,
  type EventTemplate,
  type HealthCheck,
  healthStatus,
  nip44Encrypt,
} from '@mostro/protocol';
import type { Clock } from '../clock.ts';
import { countOwedDevFees } from '../db/dev-fees.ts';
import { getKv, setKv } from '../db/kv.ts';
import type { Db } from '../db/open.ts';
import { listOrdersByStatus } from '../db/orders.ts';
import type { LndSyncMonitor } from './lnd-sync.ts';
import { getMaintenance } from './maintenance.ts';

export const HEALTH_EVAL_SECONDS = 15;
const MIN_GAP_SECONDS = 10;

export const clampInterval = (interval: number): number => Math.min(3600, Math.max(30, interval));

interface Persisted {
  seq: number;
  createdAt: number;
}

export interface HealthReporterDeps {
  db: Db;
  clock: Clock;
  lndSync: Pick<LndSyncMonitor, 'check'>;
  nodePubkey: string;
  nodeSecretKey: Uint8Array;
  instanceName: string | null;
  version: string;
  network: () => string | null;
  settings: { interval: number; watchdog_pubkey: string };
  /** Connected relays, or null when the node cannot tell. */
  relaysConnected: () => number | null;
  publish: (template: EventTemplate) => Promise<void>;
}

export class HealthReporter {
  readonly #since = new Map<string, { state: HealthCheck['state']; since: number }>();
  #lastFingerprint: string | null = null;

  constructor(private readonly deps: HealthReporterDeps) {}

  /** The checks now, each with the time it entered its state. */
  checks(): HealthCheck[] {
    const now = this.deps.clock.now();
    const lnd = this.deps.lndSync.check();
    const states: [string, HealthCheck['state']][] = [
      ['lnd_sync', lnd.state],
      ['payouts', this.#payoutsState()],
      ['relays', this.#relaysState()],
      ['database', this.#databaseState()],
    ];
    return states.map(([name, state]) => {
      const known = this.#since.get(name);
      const since = name === 'lnd_sync' ? lnd.since : known && known.state === state ? known.since : now;
      this.#since.set(name, { state, since });
      return { name, state, since };
    });
  }

  /** One evaluation: publishes when the interval passed or something changed (10 s apart at least). */
  async evaluate(): Promise<boolean> {
    const now = this.deps.clock.now();
    const checks = this.checks();
    const maintenance = this.#maintenance();
    const fingerprint = JSON.stringify([
      healthStatus(checks, maintenance.enabled),
      checks.map((c) => c.state),
      maintenance,
    ]);
    const last = getKv<Persisted>(this.deps.db, 'health') ?? { seq: 0, createdAt: 0 };
    const due = now - last.createdAt >= clampInterval(this.deps.settings.interval);
    // The baseline is what was last published, so a change held back by the 10 s gap still goes out.
    this.#lastFingerprint ??= fingerprint;
    const changed = fingerprint !== this.#lastFingerprint;
    if (!(due || changed) || now - last.createdAt < MIN_GAP_SECONDS) return false;
    this.#lastFingerprint = fingerprint;
    const createdAt = Math.max(now, last.createdAt + 1);
    const seq = last.seq + 1;
    const lnd = this.deps.lndSync.check();
    const template = buildHealthEvent({
      nodePubkey: this.deps.nodePubkey,
      instanceName: this.deps.instanceName,
      checks,
      escrowMode: 'lightning',
      lnd:
        lnd.synced !== null && lnd.blockHeight !== null
          ? { blockHeight: lnd.blockHeight, syncedToChain: lnd.synced, network: this.deps.network() ?? 'unknown' }
          : null,
      maintenance: maintenance.enabled,
      version: this.deps.version,
      interval: clampInterval(this.deps.settings.interval),
      seq,
      watchdog: this.deps.settings.watchdog_pubkey || null,
      content: this.#content(createdAt),
      now: createdAt,
    });
    // Persisted before sending: a crash between the two never reuses a seq.
    setKv(this.deps.db, 'health', { seq, createdAt } satisfies Persisted, now);
    await this.deps.publish(template);
    return true;
  }

  #maintenance() {
    const m = getMaintenance(this.deps.db);
    return { enabled: m.enabled, reason: m.reason };
  }

  /** Details for the watchdog only; unknown values are null, never 0. */
  #content(generatedAt: number): string {
    const watchdog = this.deps.settings.watchdog_pubkey;
    if (!watchdog) return '';
    const lnd = this.deps.lndSync.check();
    const body = {
      v: 1,
      generated_at: generatedAt,
      lnd:
        lnd.synced === null
          ? { reachable: false, synced_to_chain: null, unsynced_since: null, block_height: lnd.blockHeight }
          : {
              reachable: true,
              synced_to_chain: lnd.synced,
              unsynced_since: lnd.synced ? null : lnd.since,
              block_height: lnd.blockHeight,
            },
      payouts: { settled_unpaid_orders: listOrdersByStatus(this.deps.db, 'settled-hold-invoice').length },
      // Failures per hour are not kept apart from the escrow journal: unknown, so null.
      dev_fee: { pending: countOwedDevFees(this.deps.db), failed_1h: null },
      relays: { configured: null, connected: this.deps.relaysConnected() },
      maintenance: this.#maintenance(),
    };
    return nip44Encrypt(JSON.stringify(body), conversationKey(this.deps.nodeSecretKey, watchdog));
  }

  #payoutsState(): HealthCheck['state'] {
    const stuck = listOrdersByStatus(this.deps.db, 'settled-hold-invoice').some(
      (o) => o.payout_state === 'failed' || o.failed_payment,
    );
    return stuck ? 'warn' : 'ok';
  }

  #relaysState(): HealthCheck['state'] {
    const connected = this.deps.relaysConnected();
    if (connected === null) return 'unknown';
    return connected > 0 ? 'ok' : 'fail';
  }

  #databaseState(): HealthCheck['state'] {
    try {
      this.deps.db.prepare('SELECT 1').get();
      return 'ok';
    } catch {
      return 'fail';
    }
  }
}
