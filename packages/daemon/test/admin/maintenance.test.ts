// Operator maintenance through the admin service, beside the node's own (LND unsynced) one: the
// operator may not use the node's reason; an operator's "on" over the automatic one makes it the
// operator's, so LND coming back no longer lifts it; "off" lifts either; a change republishes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createAdminService } from '../../src/admin/service.ts';
import type { AppContext } from '../../src/app/context.ts';
import { ManualClock } from '../../src/clock.ts';
import { type Db, openDatabase } from '../../src/db/open.ts';
import { LndSyncMonitor } from '../../src/health/lnd-sync.ts';
import { getMaintenance } from '../../src/health/maintenance.ts';
import type { LightningBackend } from '../../src/lightning/backend.ts';
import { silentLogger } from '../../src/node/log.ts';

describe('operator maintenance', () => {
  let dir: string;
  let db: Db;
  let clock: ManualClock;
  let synced: boolean;
  let republished: number;

  const lightning = {
    getInfo: async () => ({ ok: true, value: { syncedToChain: synced, blockHeight: 900_000 } }),
  } as unknown as LightningBackend;
  const settings = {
    lnd_unsynced_fail_after: 600,
    auto_maintenance_on_lnd_unsynced: true,
    lnd_resynced_clear_after: 300,
  };
  const service = () =>
    createAdminService({
      ctx: {
        db,
        clock,
        log: silentLogger,
        settings: { rpc: { rate_limiter_stale_duration: 3600 } },
      } as unknown as AppContext,
      handlers: {},
      exclusive: (work) => work(),
      republishInfo: async () => {
        republished++;
      },
      version: '0.1.0',
      lnNodePubkey: '',
    });
  const run = async (m: LndSyncMonitor, seconds: number) => {
    for (let t = 0; t < seconds; t += 15) {
      clock.advance(15);
      await m.poll();
    }
  };

  /** LND unsynced long enough that the node entered maintenance itself. */
  const unsyncedUntilAutomatic = async () => {
    const monitor = new LndSyncMonitor({ db, clock, lightning, settings });
    synced = false;
    await monitor.poll();
    await run(monitor, 600);
    return monitor;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-maint-'));
    db = openDatabase(join(dir, 'mostro.db')).db;
    clock = new ManualClock(1_700_000_000);
    synced = true;
    republished = 0;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the node’s reason is refused; on and off republish once each; repeating changes nothing', async () => {
    const admin = service();
    assert.equal((await admin.setMaintenance({ enabled: true, reason: 'lnd_unsynced' })).success, false);
    assert.equal(getMaintenance(db).enabled, false);
    assert.deepEqual(await admin.setMaintenance({ enabled: true, reason: '  upgrade ' }), { success: true });
    assert.deepEqual(getMaintenance(db), { enabled: true, reason: 'upgrade', since: clock.now(), automatic: false });
    clock.advance(60);
    assert.deepEqual(await admin.setMaintenance({ enabled: true, reason: 'upgrade' }), { success: true });
    assert.equal(republished, 1, 'no change, no republication');
    assert.equal(getMaintenance(db).since, clock.now() - 60, 'since kept');
    await admin.setMaintenance({ enabled: false });
    assert.equal(getMaintenance(db).enabled, false);
    assert.equal(republished, 2);
  });

  it('an operator "on" over the automatic maintenance makes it the operator’s: LND back does not lift it', async () => {
    const admin = service();
    const monitor = await unsyncedUntilAutomatic();
    assert.deepEqual([getMaintenance(db).reason, getMaintenance(db).automatic], ['lnd_unsynced', true]);
    const since = getMaintenance(db).since;
    await admin.setMaintenance({ enabled: true, reason: 'LND migration' });
    assert.deepEqual(getMaintenance(db), { enabled: true, reason: 'LND migration', since, automatic: false });
    synced = true;
    await run(monitor, 900);
    assert.equal(getMaintenance(db).enabled, true, 'still the operator’s');
    await admin.setMaintenance({ enabled: false });
    assert.equal(getMaintenance(db).enabled, false);
  });

  it('"off" lifts the automatic maintenance too; the node enters it again while LND stays unsynced', async () => {
    const admin = service();
    const monitor = await unsyncedUntilAutomatic();
    assert.equal(getMaintenance(db).automatic, true);
    await admin.setMaintenance({ enabled: false });
    assert.equal(getMaintenance(db).enabled, false);
    await run(monitor, 15);
    assert.deepEqual([getMaintenance(db).enabled, getMaintenance(db).automatic], [true, true]);
  });
});
