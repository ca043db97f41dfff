// The kind-38389 health event (reference-0.20.md §3.5): tag order, status rules, cadence (interval,
// at once on a change, never within 10 s), seq/created_at across a restart, watchdog content.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  conversationKey,
  type EventTemplate,
  healthStatus,
  nip44Decrypt,
  parseHealthEvent,
  signEvent,
} from '@mostro/protocol';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { ManualClock } from '../../src/clock.ts';
import { type Db, openDatabase } from '../../src/db/open.ts';
import type { CheckState } from '../../src/health/lnd-sync.ts';
import { setMaintenance } from '../../src/health/maintenance.ts';
import { HealthReporter } from '../../src/health/reporter.ts';

let dir: string;
let db: Db;
let clock: ManualClock;
let published: EventTemplate[];
let lnd: { state: CheckState; since: number; synced: boolean | null; blockHeight: number | null };
const nodeSk = generateSecretKey();
const nodePk = getPublicKey(nodeSk);

function reporter(watchdog = '', interval = 60): HealthReporter {
  return new HealthReporter({
    db,
    clock,
    lndSync: { check: () => lnd },
    nodePubkey: nodePk,
    nodeSecretKey: nodeSk,
    instanceName: 'test node',
    version: '0.1.0',
    network: () => 'regtest',
    settings: { interval, watchdog_pubkey: watchdog },
    relaysConnected: () => 1,
    publish: async (t) => {
      published.push(t);
    },
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'health-'));
  db = openDatabase(join(dir, 'mostro.db')).db;
  clock = new ManualClock(1_700_000_000);
  published = [];
  lnd = { state: 'ok', since: 1_699_999_000, synced: true, blockHeight: 971_349 };
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('health event, kind 38389', () => {
  it('tags in the spec order; status ok; readable without a key', async () => {
    assert.equal(await reporter().evaluate(), true);
    const t = published[0]!;
    assert.equal(t.kind, 38389);
    assert.equal(t.content, '');
    assert.deepEqual(
      t.tags.map((x) => x[0]),
      [
        'd',
        'y',
        'z',
        'status',
        'check',
        'check',
        'check',
        'check',
        'escrow_mode',
        'lnd_block_height',
        'lnd_synced_to_chain',
        'lnd_network',
        'maintenance_mode',
        'mostro_version',
        'interval',
        'seq',
        'expiration',
      ],
    );
    assert.deepEqual(t.tags[0], ['d', nodePk]);
    assert.deepEqual(t.tags[1], ['y', 'mostro', 'test node']);
    assert.deepEqual(t.tags[4], ['check', 'lnd_sync', 'ok', '1699999000']);
    assert.deepEqual(t.tags.at(-1), ['expiration', String(t.created_at + 180)]);
    const parsed = parseHealthEvent(signEvent(t, nodeSk));
    assert.equal(parsed.status, 'ok');
    assert.equal(parsed.seq, 1);
    assert.equal(parsed.lnd_block_height, 971_349);
    assert.equal(parsed.maintenance_mode, false);
    assert.deepEqual(
      parsed.checks.map((c) => c.name),
      ['lnd_sync', 'payouts', 'relays', 'database'],
    );
  });

  it('status: down when lnd_sync fails or is unknown, degraded on a warn or in maintenance', () => {
    const c = (lndState: CheckState, other: CheckState = 'ok') => [
      { name: 'lnd_sync', state: lndState, since: 0 },
      { name: 'relays', state: other, since: 0 },
    ];
    assert.equal(healthStatus(c('ok'), false), 'ok');
    assert.equal(healthStatus(c('ok'), true), 'degraded');
    assert.equal(healthStatus(c('warn'), false), 'degraded');
    assert.equal(healthStatus(c('fail'), false), 'down');
    assert.equal(healthStatus(c('unknown'), false), 'down');
    assert.equal(healthStatus(c('ok', 'fail'), false), 'down');
    assert.equal(healthStatus(c('ok', 'unknown'), false), 'degraded');
  });

  it('cadence: every interval; at once on a change but not within 10 s; seq and created_at survive a restart', async () => {
    let r = reporter();
    await r.evaluate();
    clock.advance(15);
    assert.equal(await r.evaluate(), false, 'nothing changed, interval not over');
    setMaintenance(db, { enabled: true, reason: 'upgrade' }, clock.now());
    assert.equal(await r.evaluate(), true, 'maintenance flipped');
    assert.equal(parseHealthEvent(signEvent(published.at(-1)!, nodeSk)).status, 'degraded');
    lnd = { ...lnd, state: 'warn', since: clock.now(), synced: false };
    clock.advance(5);
    assert.equal(await r.evaluate(), false, 'within 10 s of the last one');
    clock.advance(50);
    assert.equal(await r.evaluate(), true);
    clock.advance(60);
    assert.equal(await r.evaluate(), true, 'interval over');
    assert.deepEqual(
      published.map((t) => t.tags.find((x) => x[0] === 'seq')?.[1]),
      ['1', '2', '3', '4'],
    );
    const lastAt = published.at(-1)!.created_at;
    r = reporter();
    clock.advance(60);
    await r.evaluate();
    assert.equal(published.at(-1)!.tags.find((x) => x[0] === 'seq')?.[1], '5');
    assert.ok(published.at(-1)!.created_at > lastAt);
  });

  it('the interval is clamped to 30..3600; LND tags only when LND answered', async () => {
    lnd = { state: 'unknown', since: clock.now(), synced: null, blockHeight: null };
    await reporter('', 5).evaluate();
    const t = published[0]!;
    assert.deepEqual(
      t.tags.find((x) => x[0] === 'interval'),
      ['interval', '30'],
    );
    assert.equal(
      t.tags.find((x) => x[0] === 'lnd_block_height'),
      undefined,
    );
    assert.equal(parseHealthEvent(signEvent(t, nodeSk)).status, 'down');
  });

  it('with a watchdog: p tag and NIP-44 content only it can read', async () => {
    const watchdogSk = generateSecretKey();
    const watchdog = getPublicKey(watchdogSk);
    await reporter(watchdog).evaluate();
    const t = published[0]!;
    assert.deepEqual(
      t.tags.find((x) => x[0] === 'p'),
      ['p', watchdog],
    );
    const body = JSON.parse(nip44Decrypt(t.content, conversationKey(watchdogSk, nodePk)));
    assert.equal(body.v, 1);
    assert.equal(body.lnd.synced_to_chain, true);
    assert.deepEqual(body.dev_fee, { pending: 0, failed_1h: null });
    assert.deepEqual(body.maintenance, { enabled: false, reason: null });
  });
});
