// Catch-up: the node subscribes from where processing stopped on its relays (persisted, minus a
// margin, never beyond the catch-up age), and a relay's stored backlog right after a (re)connect may
// be up to the catch-up age old while live traffic keeps the 10 s window.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { parseSettings } from '../../src/config/load.ts';
import { openDatabase } from '../../src/db/open.ts';
import { FRESHNESS_SECONDS, MAX_FUTURE_SECONDS, processedRetentionSeconds } from '../../src/intake/freshness.ts';
import { CATCH_UP_MARGIN_SECONDS, createCatchUp } from '../../src/node/catch-up.ts';
import { processedRetentionFor } from '../../src/node/jobs.ts';

const dir = mkdtempSync(join(tmpdir(), 'mostro-catchup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const A = 'ws://127.0.0.1:1';
const B = 'ws://127.0.0.1:2';
const node = 'ab'.repeat(32);
const TWO_DAYS = 2 * 86_400;

test('the subscription starts at the earliest relay mark minus the margin, bounded by the catch-up age', () => {
  const path = join(dir, 'a.db');
  const clock = new ManualClock(1_700_000_000);
  {
    const { db } = openDatabase(path);
    const first = createCatchUp({ db, clock, seconds: 600, relays: [A, B] });
    const [dm, wrap] = first.filters(node);
    assert.equal(dm!.since, clock.now() - 600, 'no mark yet: from the catch-up age');
    assert.equal(wrap!.since, clock.now() - 600 - TWO_DAYS, 'gift wraps are backdated up to two days');
    first.processed(A, clock.now() - 100);
    first.processed(B, clock.now() - 200);
    db.close();
  }
  clock.advance(150); // the node was down for 150 s
  const { db } = openDatabase(path);
  const again = createCatchUp({ db, clock, seconds: 600, relays: [A, B] });
  assert.equal(again.highWaterMark(A), clock.now() - 250, 'marks survive a restart');
  assert.equal(again.filters(node)[0]!.since, clock.now() - 350 - CATCH_UP_MARGIN_SECONDS);
  clock.advance(3600); // down for an hour: only the catch-up age is asked for
  assert.equal(again.filters(node)[0]!.since, clock.now() - 600);
  db.close();
});

test("a relay's backlog right after it connects may be as old as the catch-up age; live traffic keeps 10 s", () => {
  const { db } = openDatabase(join(dir, 'b.db'));
  const clock = new ManualClock(1_700_000_000);
  const catchUp = createCatchUp({ db, clock, seconds: 600, relays: [A] });
  catchUp.connected(A);
  assert.equal(catchUp.maxAgeFor(A, clock.now() + 2), 600);
  assert.equal(catchUp.maxAgeFor(A, clock.now() + 120), 10);
  clock.advance(300);
  catchUp.connected(A); // reconnect after an outage
  assert.equal(catchUp.maxAgeFor(A, clock.now() + 3), 600);
  const off = createCatchUp({ db, clock, seconds: 0, relays: [A] });
  off.connected(A);
  assert.equal(off.maxAgeFor(A, clock.now()), 10, 'catch_up_seconds = 0 keeps the protocol window');
  db.close();
});

test('processed ids are kept longer than an event can be caught up (never a replay after pruning)', () => {
  for (const seconds of [0, 600, 7 * 86_400]) {
    const parsed = parseSettings({
      nostr: { nsec_privkey: '1'.repeat(64), catch_up_seconds: seconds },
      relay: { embedded: true },
      lightning: { backend: 'simulated' },
    });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const retention = processedRetentionFor(parsed.settings);
    assert.equal(retention, processedRetentionSeconds(Math.max(FRESHNESS_SECONDS, seconds)));
    // An event accepted at the catch-up age (dated up to a minute ahead) is refused by age before its id goes.
    assert.ok(retention > Math.max(FRESHNESS_SECONDS, seconds) + MAX_FUTURE_SECONDS);
  }
});
