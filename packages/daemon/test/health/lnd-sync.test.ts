// The LND sync monitor and automatic maintenance (reference-0.20.md §4.1, §4.2) on the simulated
// backend, which reports synced unless told otherwise, and a hand-moved clock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { type Db, openDatabase } from '../../src/db/open.ts';
import { LndSyncMonitor } from '../../src/health/lnd-sync.ts';
import { getMaintenance, setMaintenance } from '../../src/health/maintenance.ts';
import { fail, type LightningBackend } from '../../src/lightning/backend.ts';
import { createSimulatedBackend } from '../../src/lightning/simulated/backend.ts';
import { SimulatedNetwork } from '../../src/lightning/simulated/network.ts';

let dir: string;
let db: Db;
let net: SimulatedNetwork;
let clock: ManualClock;
let backend: LightningBackend;
let reachable: boolean;
let changes: number;

const SETTINGS = {
  lnd_unsynced_fail_after: 600,
  auto_maintenance_on_lnd_unsynced: true,
  lnd_resynced_clear_after: 300,
};

function monitor(settings = SETTINGS): LndSyncMonitor {
  const m = new LndSyncMonitor({ db, clock, lightning: backend, settings });
  m.onMaintenanceChange = () => {
    changes++;
  };
  return m;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lnd-sync-'));
  clock = new ManualClock(1_700_000_000);
  net = new SimulatedNetwork({ path: join(dir, 'sim.db'), clock, tickMs: 0 });
  const sim = createSimulatedBackend(net, 'mostro');
  reachable = true;
  changes = 0;
  backend = { ...sim, getInfo: () => (reachable ? sim.getInfo() : Promise.resolve(fail('unavailable', 'down'))) };
  db = openDatabase(join(dir, 'mostro.db')).db;
});
afterEach(() => {
  db.close();
  net.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls every 15 s for `seconds`. */
async function run(m: LndSyncMonitor, seconds: number): Promise<void> {
  for (let t = 0; t < seconds; t += 15) {
    clock.advance(15);
    await m.poll();
  }
}

describe('LND sync monitor', () => {
  it('the simulator reports synced: lnd_sync ok, payments not deferred', async () => {
    const m = monitor();
    await m.poll();
    assert.equal(m.check().state, 'ok');
    assert.equal(m.check().synced, true);
    assert.equal(m.paymentsDeferred(), false);
  });

  it('unsynced: payments wait after 60 s; lnd_sync fails at 600 s and the node enters maintenance itself; lifted 300 s after resync', async () => {
    const m = monitor();
    await m.poll();
    net.syncedToChain = false;
    await m.poll();
    const since = clock.now();
    assert.equal(m.check().state, 'warn');
    await run(m, 45);
    assert.equal(m.paymentsDeferred(), false, '45 s');
    await run(m, 15);
    assert.equal(m.paymentsDeferred(), true, '60 s');
    assert.equal(getMaintenance(db).enabled, false);
    await run(m, 540);
    assert.equal(m.check().state, 'fail');
    assert.equal(m.check().since, since + 600);
    assert.deepEqual(getMaintenance(db), {
      enabled: true,
      reason: 'lnd_unsynced',
      since: since + 600,
      automatic: true,
    });
    assert.equal(changes, 1);

    net.syncedToChain = true;
    await m.poll();
    assert.equal(m.paymentsDeferred(), false);
    assert.equal(m.check().state, 'ok');
    await run(m, 285);
    assert.equal(getMaintenance(db).enabled, true, 'not yet 300 s synced');
    await run(m, 15);
    assert.equal(getMaintenance(db).enabled, false);
    assert.equal(changes, 2);
  });

  it('an operator maintenance is never lifted by the node; auto maintenance can be switched off', async () => {
    setMaintenance(db, { enabled: true, reason: 'upgrade' }, clock.now());
    const m = monitor();
    net.syncedToChain = false;
    await run(m, 660);
    net.syncedToChain = true;
    await run(m, 600);
    assert.deepEqual(getMaintenance(db).reason, 'upgrade');
    assert.equal(changes, 0);

    setMaintenance(db, { enabled: false }, clock.now());
    const off = monitor({ ...SETTINGS, auto_maintenance_on_lnd_unsynced: false });
    net.syncedToChain = false;
    await run(off, 900);
    assert.equal(off.check().state, 'fail');
    assert.equal(getMaintenance(db).enabled, false);
  });

  it('unreachable LND: lnd_sync unknown, payments deferred after 60 s, no automatic maintenance', async () => {
    const m = monitor();
    await m.poll();
    reachable = false;
    await run(m, 900);
    assert.equal(m.check().state, 'unknown');
    assert.equal(m.paymentsDeferred(), true);
    assert.equal(getMaintenance(db).enabled, false);
    reachable = true;
    await m.poll();
    assert.equal(m.paymentsDeferred(), false);
  });

  it('maintenance state survives a reopen of the database and keeps its since', () => {
    assert.equal(setMaintenance(db, { enabled: true, reason: 'upgrade' }, 100), true);
    assert.equal(setMaintenance(db, { enabled: true, reason: 'upgrade' }, 200), false, 'no change');
    db.close();
    db = openDatabase(join(dir, 'mostro.db')).db;
    assert.deepEqual(getMaintenance(db), { enabled: true, reason: 'upgrade', since: 100, automatic: false });
  });
});
