import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  advanceTradeIndex,
  appendJournal,
  claimDisputePublishTime,
  claimOrderPublishTime,
  claimOrderRevision,
  currentVersion,
  type Db,
  deleteKv,
  findOrdersByMasterPubkey,
  findOrdersByTradePubkey,
  getDispute,
  getDisputeByOrder,
  getKv,
  getOrCreateUser,
  getOrder,
  getOrderByHash,
  getUser,
  insertDispute,
  insertOrder,
  isProcessed,
  listDisputesBySolver,
  listDisputesByStatus,
  listDisputesForOrders,
  listJournal,
  listKv,
  listOrdersByHoldState,
  listOrdersByPayoutState,
  listOrdersByStatus,
  listPendingExpired,
  listRangeChildren,
  listSolvers,
  listWaitingTimedOut,
  MIGRATIONS,
  markProcessed,
  migrate,
  type NewOrder,
  openDatabase,
  pruneProcessed,
  recordRating,
  setAdmin,
  setBanned,
  setKv,
  setLastTradeIndex,
  setSolver,
  TERMINAL_ORDER_STATUSES,
  transaction,
  updateDispute,
  updateOrder,
} from '../../src/db/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mostro-db-'));
const opened: Db[] = [];
after(() => {
  for (const db of opened) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function fresh(): { db: Db; path: string } {
  const path = join(dir, `t${n++}`, 'mostro.db');
  const { db } = openDatabase(path);
  opened.push(db);
  return { db, path };
}

const T0 = 1_700_000_000;
const pk = (c: string) => c.repeat(64);
const order = (over: Partial<NewOrder> = {}): NewOrder => ({
  id: crypto.randomUUID(),
  kind: 'sell',
  event_id: pk('e'),
  creator_pubkey: pk('a'),
  seller_pubkey: pk('a'),
  master_seller_pubkey: pk('1'),
  status: 'pending',
  payment_method: 'bank transfer',
  amount: 10_000,
  fiat_code: 'USD',
  fiat_amount: 10,
  created_at: T0,
  expires_at: T0 + 86_400,
  ...over,
});

describe('open and migrations', () => {
  test('a new database is migrated once, with WAL and foreign keys on', () => {
    const path = join(dir, 'm', 'mostro.db');
    const first = openDatabase(path);
    opened.push(first.db);
    assert.deepEqual(
      first.migration.applied,
      MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}-${m.name}`),
    );
    assert.equal(first.migration.from, 0);
    assert.equal(first.migration.to, MIGRATIONS.at(-1)!.version);
    assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((first.db.pragma('busy_timeout', { simple: true }) as number) > 0);
    const o = insertOrder(first.db, order());
    first.db.close();

    const second = openDatabase(path);
    opened.push(second.db);
    assert.deepEqual(second.migration.applied, []);
    assert.equal(currentVersion(second.db), first.migration.to);
    assert.deepEqual(getOrder(second.db, o.id), o, 'data survives a reopen');
  });

  test('a database from a newer mostrod is refused', () => {
    const { db, path } = fresh();
    db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    db.close();
    assert.throws(() => openDatabase(path), /newer than this mostrod/);
  });

  test('a failing migration leaves nothing behind', () => {
    const { db } = fresh();
    const bad = {
      version: MIGRATIONS.at(-1)!.version + 1,
      name: 'bad',
      sql: 'CREATE TABLE x (a); SELECT nope FROM nowhere;',
    };
    assert.throws(() => migrate(db, [...MIGRATIONS, bad]));
    assert.equal(currentVersion(db), MIGRATIONS.at(-1)!.version);
    assert.equal((db.prepare("SELECT COUNT(*) AS c FROM sqlite_master WHERE name = 'x'").get() as { c: number }).c, 0);
  });
});

describe('transaction', () => {
  test('commits everything or, on throw, nothing', () => {
    const { db } = fresh();
    const a = order();
    const b = order();
    assert.throws(() =>
      transaction(db, () => {
        insertOrder(db, a);
        setKv(db, 'k', 1, T0);
        throw new Error('boom');
      }),
    );
    assert.equal(getOrder(db, a.id), undefined);
    assert.equal(getKv(db, 'k'), undefined);
    const result = transaction(db, () => {
      insertOrder(db, b);
      setKv(db, 'k', 2, T0);
      return 'done';
    });
    assert.equal(result, 'done');
    assert.ok(getOrder(db, b.id));
    assert.equal(getKv(db, 'k'), 2);
  });

  test('a nested failure rolls back only the inner part when caught', () => {
    const { db } = fresh();
    const a = order();
    const b = order();
    transaction(db, () => {
      insertOrder(db, a);
      assert.throws(() =>
        transaction(db, () => {
          insertOrder(db, b);
          throw new Error('inner');
        }),
      );
    });
    assert.ok(getOrder(db, a.id));
    assert.equal(getOrder(db, b.id), undefined);
  });

  test('an async function is refused and rolled back', () => {
    const { db } = fresh();
    const a = order();
    assert.throws(
      () =>
        transaction(db, async () => {
          insertOrder(db, a);
        }),
      /synchronous/,
    );
    assert.equal(getOrder(db, a.id), undefined);
  });
});

describe('orders', () => {
  test('insert applies defaults and get returns the same row with booleans', () => {
    const { db } = fresh();
    const o = insertOrder(db, order({ price_from_api: true, premium: -3, amount: 0 }));
    const got = getOrder(db, o.id)!;
    assert.deepEqual(got, o);
    assert.equal(got.price_from_api, true);
    assert.equal(got.buyer_dispute, false);
    assert.equal(got.payout_state, 'none');
    assert.equal(got.hold_state, null);
    assert.equal(got.updated_at, T0);
    assert.equal(got.master_buyer_pubkey, null);
    assert.equal(getOrder(db, 'nope'), undefined);
    assert.throws(() => insertOrder(db, { ...order(), id: o.id }), /UNIQUE/);
  });

  test('the schema refuses impossible values', () => {
    const { db } = fresh();
    assert.throws(() => insertOrder(db, order({ kind: 'rent' as never })), /CHECK/);
    assert.throws(() => insertOrder(db, order({ payout_state: 'maybe' as never })), /CHECK/);
    assert.throws(() => insertOrder(db, order({ amount: 'lots' as never })), /cannot store TEXT/);
  });

  test('update with a patch, conditional on the status', () => {
    const { db } = fresh();
    const o = insertOrder(db, order());
    assert.equal(
      updateOrder(
        db,
        o.id,
        { status: 'waiting-payment', buyer_pubkey: pk('b'), taken_at: T0 + 5 },
        { now: T0 + 5, ifStatus: 'pending' },
      ),
      true,
    );
    assert.equal(
      updateOrder(db, o.id, { status: 'canceled' }, { now: T0 + 6, ifStatus: 'pending' }),
      false,
      'not pending any more',
    );
    assert.equal(
      updateOrder(
        db,
        o.id,
        { buyer_dispute: true, hold_state: 'accepted' },
        { now: T0 + 7, ifStatus: ['waiting-payment', 'active'] },
      ),
      true,
    );
    const got = getOrder(db, o.id)!;
    assert.equal(got.status, 'waiting-payment');
    assert.equal(got.buyer_pubkey, pk('b'));
    assert.equal(got.buyer_dispute, true);
    assert.equal(got.hold_state, 'accepted');
    assert.equal(got.updated_at, T0 + 7);
    assert.equal(updateOrder(db, 'nope', { status: 'canceled' }, { now: T0 }), false);
    assert.throws(
      () => updateOrder(db, o.id, { ['evil = 1; --' as 'status']: 'x' as never }, { now: T0 }),
      /unknown column/,
    );
    assert.throws(() => updateOrder(db, o.id, { id: 'x' } as never, { now: T0 }), /unknown column/);
  });

  test('list by status, newest last, with paging', () => {
    const { db } = fresh();
    const a = insertOrder(db, order({ created_at: T0 + 2 }));
    const b = insertOrder(db, order({ created_at: T0 + 1 }));
    insertOrder(db, order({ status: 'active' }));
    assert.deepEqual(
      listOrdersByStatus(db, 'pending').map((o) => o.id),
      [b.id, a.id],
    );
    assert.equal(listOrdersByStatus(db, ['pending', 'active']).length, 3);
    assert.deepEqual(
      listOrdersByStatus(db, 'pending', { limit: 1, offset: 1 }).map((o) => o.id),
      [a.id],
    );
    assert.deepEqual(listOrdersByStatus(db, []), []);
  });

  test('find by trade key (creator, buyer or seller) and by master key', () => {
    const { db } = fresh();
    const mine = insertOrder(
      db,
      order({ creator_pubkey: pk('c'), seller_pubkey: pk('c'), master_seller_pubkey: pk('9') }),
    );
    const took = insertOrder(
      db,
      order({ kind: 'buy', creator_pubkey: pk('d'), buyer_pubkey: pk('d'), seller_pubkey: pk('c') }),
    );
    const done = insertOrder(db, order({ creator_pubkey: pk('c'), status: 'success', master_seller_pubkey: pk('9') }));
    const privateOrder = insertOrder(
      db,
      order({ creator_pubkey: pk('f'), seller_pubkey: pk('f'), master_seller_pubkey: null }),
    );
    assert.deepEqual(
      new Set(findOrdersByTradePubkey(db, pk('c')).map((o) => o.id)),
      new Set([mine.id, took.id, done.id]),
    );
    assert.deepEqual(
      findOrdersByTradePubkey(db, pk('c'), { statuses: ['pending'] })
        .map((o) => o.id)
        .sort(),
      [mine.id, took.id].sort(),
    );
    const nonTerminal = ['pending', 'active', 'waiting-payment', 'fiat-sent', 'dispute'] as const;
    assert.deepEqual(
      findOrdersByMasterPubkey(db, pk('9'), { statuses: nonTerminal }).map((o) => o.id),
      [mine.id],
    );
    assert.equal(findOrdersByMasterPubkey(db, pk('9')).length, 2);
    assert.equal(findOrdersByTradePubkey(db, pk('f'))[0]!.id, privateOrder.id);
    assert.deepEqual(findOrdersByMasterPubkey(db, pk('f')), []);
    assert.ok(TERMINAL_ORDER_STATUSES.includes('success'));
  });

  test('find by hash, pending-expired, waiting timeouts, range children, payout and hold states', () => {
    const { db } = fresh();
    const expired = insertOrder(db, order({ expires_at: T0 + 10 }));
    insertOrder(db, order({ expires_at: T0 + 11 }));
    insertOrder(db, order({ expires_at: T0 + 5, status: 'active' }));
    assert.deepEqual(
      listPendingExpired(db, T0 + 10).map((o) => o.id),
      [expired.id],
    );

    const late = insertOrder(db, order({ status: 'waiting-buyer-invoice', taken_at: T0 + 100 }));
    const late2 = insertOrder(
      db,
      order({ status: 'waiting-payment', taken_at: T0 + 50, hash: pk('h'), hold_state: 'open' }),
    );
    insertOrder(db, order({ status: 'waiting-payment', taken_at: T0 + 101 }));
    insertOrder(db, order({ status: 'active', taken_at: T0 + 1 }));
    assert.deepEqual(
      listWaitingTimedOut(db, T0 + 100).map((o) => o.id),
      [late2.id, late.id],
    );
    assert.equal(getOrderByHash(db, pk('h'))!.id, late2.id);
    assert.equal(getOrderByHash(db, pk('0')), undefined);
    assert.deepEqual(
      listOrdersByHoldState(db, 'open').map((o) => o.id),
      [late2.id],
    );

    const parent = insertOrder(db, order({ min_amount: 10, max_amount: 100, fiat_amount: 0 }));
    const child = insertOrder(db, order({ range_parent_id: parent.id }));
    assert.deepEqual(
      listRangeChildren(db, parent.id).map((o) => o.id),
      [child.id],
    );

    updateOrder(db, child.id, { payout_state: 'in_flight', payout_hash: pk('p') }, { now: T0 });
    assert.deepEqual(
      listOrdersByPayoutState(db, 'in_flight').map((o) => o.id),
      [child.id],
    );
  });

  test('publish times strictly increase even when the clock does not', () => {
    const { db } = fresh();
    const o = insertOrder(db, order());
    assert.equal(claimOrderPublishTime(db, o.id, T0), T0);
    assert.equal(claimOrderPublishTime(db, o.id, T0), T0 + 1);
    assert.equal(claimOrderPublishTime(db, o.id, T0 - 50), T0 + 2);
    assert.equal(claimOrderPublishTime(db, o.id, T0 + 100), T0 + 100);
    assert.equal(getOrder(db, o.id)!.last_published_at, T0 + 100);
    assert.equal(claimOrderPublishTime(db, 'nope', T0), undefined);
  });

  test('an order leaving the book claims one in-progress revision, then none until its bucket changes', () => {
    const { db } = fresh();
    const o = insertOrder(db, order());
    assert.equal(claimOrderRevision(db, o.id, 'pending', T0), T0);
    assert.equal(claimOrderRevision(db, o.id, 'in-progress', T0 + 5), T0 + 5);
    assert.equal(claimOrderRevision(db, o.id, 'in-progress', T0 + 9), null, 'later trade steps stay private');
    assert.equal(claimOrderRevision(db, o.id, 'pending', T0 + 9), T0 + 9, 'the taker left');
    assert.equal(claimOrderRevision(db, o.id, 'in-progress', T0 + 9), T0 + 10);
    assert.equal(claimOrderRevision(db, o.id, 'success', T0), T0 + 11);
    assert.equal(claimOrderRevision(db, 'not-stored', 'pending', T0), T0);
  });
});

describe('disputes', () => {
  test('one per order, get/update/list, and a foreign key to the order', () => {
    const { db } = fresh();
    const o = insertOrder(db, order({ status: 'dispute' }));
    const d = insertDispute(db, {
      id: crypto.randomUUID(),
      order_id: o.id,
      status: 'initiated',
      order_previous_status: 'active',
      initiator: 'buyer',
      created_at: T0,
    });
    assert.deepEqual(getDispute(db, d.id), d);
    assert.deepEqual(getDisputeByOrder(db, o.id), d);
    assert.throws(() => insertDispute(db, { ...d, id: crypto.randomUUID() }), /UNIQUE/);
    assert.throws(() => insertDispute(db, { ...d, id: crypto.randomUUID(), order_id: 'missing' }), /FOREIGN KEY/);

    assert.equal(
      updateDispute(
        db,
        d.id,
        { status: 'in-progress', solver_pubkey: pk('5'), taken_at: T0 + 1 },
        { ifStatus: 'initiated' },
      ),
      true,
    );
    assert.equal(
      updateDispute(db, d.id, { solver_pubkey: pk('6') }, { ifStatus: 'initiated' }),
      false,
      'already taken',
    );
    assert.equal(getDispute(db, d.id)!.solver_pubkey, pk('5'));
    assert.deepEqual(
      listDisputesByStatus(db, 'in-progress').map((x) => x.id),
      [d.id],
    );
    assert.deepEqual(listDisputesByStatus(db, ['initiated']), []);
    assert.deepEqual(
      listDisputesBySolver(db, pk('5')).map((x) => x.id),
      [d.id],
    );
    assert.deepEqual(
      listDisputesForOrders(db, [o.id, 'other']).map((x) => x.id),
      [d.id],
    );
    assert.deepEqual(listDisputesForOrders(db, []), []);
    assert.equal(claimDisputePublishTime(db, d.id, T0), T0);
    assert.equal(claimDisputePublishTime(db, d.id, T0), T0 + 1);
    assert.throws(() => updateDispute(db, d.id, { order_id: 'x' } as never), /unknown column/);
  });
});

describe('users', () => {
  test('get or create, trade index only moves forward', () => {
    const { db } = fresh();
    assert.equal(getUser(db, pk('1')), undefined);
    const u = getOrCreateUser(db, pk('1'), T0);
    assert.equal(u.last_trade_index, 0);
    assert.equal(u.is_admin, false);
    assert.equal(getOrCreateUser(db, pk('1'), T0 + 9).created_at, T0, 'not recreated');
    assert.equal(advanceTradeIndex(db, pk('1'), 3, T0), true);
    assert.equal(advanceTradeIndex(db, pk('1'), 3, T0), false, 'reused index');
    assert.equal(advanceTradeIndex(db, pk('1'), 2, T0), false, 'older index');
    assert.equal(getUser(db, pk('1'))!.last_trade_index, 3);
    assert.equal(advanceTradeIndex(db, pk('2'), 1, T0), true, 'a new identity');
    setLastTradeIndex(db, pk('1'), 1, T0);
    assert.equal(getUser(db, pk('1'))!.last_trade_index, 1);
  });

  test('ratings keep a correct running mean, min, max and last', () => {
    const { db } = fresh();
    const ratings = [5, 3, 4, 1, 5, 2];
    let u = getOrCreateUser(db, pk('1'), T0);
    for (const r of ratings) u = recordRating(db, pk('1'), r, T0);
    assert.equal(u.total_reviews, ratings.length);
    assert.ok(Math.abs(u.mean_rating - ratings.reduce((a, b) => a + b) / ratings.length) < 1e-9);
    assert.equal(u.min_rating, 1);
    assert.equal(u.max_rating, 5);
    assert.equal(u.last_rating, 2);
    const first = recordRating(db, pk('2'), 4, T0);
    assert.deepEqual([first.total_reviews, first.mean_rating, first.min_rating, first.max_rating], [1, 4, 4, 4]);
  });

  test('property: the running mean equals the arithmetic mean of any rating sequence', () => {
    const { db } = fresh();
    let run = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 60 }), (ratings) => {
        const key = (run++).toString(16).padStart(64, '0');
        let u = getOrCreateUser(db, key, T0);
        for (const r of ratings) u = recordRating(db, key, r, T0);
        const mean = ratings.reduce((a, b) => a + b, 0) / ratings.length;
        return (
          Math.abs(u.mean_rating - mean) < 1e-9 &&
          u.total_reviews === ratings.length &&
          u.min_rating === Math.min(...ratings) &&
          u.max_rating === Math.max(...ratings) &&
          u.last_rating === ratings.at(-1)
        );
      }),
      { numRuns: 100 },
    );
  });

  test('solvers, admins and bans', () => {
    const { db } = fresh();
    setSolver(db, pk('s'), 'read', T0);
    assert.equal(setSolver(db, pk('s'), 'read-write', T0).solver_permission, 'read-write');
    assert.equal(setAdmin(db, pk('a'), true, T0).is_admin, true);
    assert.equal(setBanned(db, pk('b'), true, T0).is_banned, true);
    assert.equal(setBanned(db, pk('b'), false, T0).is_banned, false);
    assert.deepEqual(
      listSolvers(db).map((u) => u.pubkey),
      [pk('s')],
    );
  });
});

describe('processed events', () => {
  test('first time true, then false, also after a reopen; prune forgets old ids', () => {
    const { db, path } = fresh();
    assert.equal(markProcessed(db, pk('1'), T0), true);
    assert.equal(markProcessed(db, pk('1'), T0 + 1), false);
    assert.equal(markProcessed(db, pk('2'), T0 + 100), true);
    db.close();
    const again = openDatabase(path).db;
    opened.push(again);
    assert.equal(markProcessed(again, pk('1'), T0 + 2), false, 'remembered across restarts');
    assert.equal(isProcessed(again, pk('1')), true);
    assert.equal(pruneProcessed(again, T0 + 50), 1);
    assert.equal(isProcessed(again, pk('1')), false);
    assert.equal(isProcessed(again, pk('2')), true);
  });
});

describe('journal and kv', () => {
  test('journal entries are appended in order with JSON detail', () => {
    const { db } = fresh();
    const a = appendJournal(db, 'o1', 'pay:before', { invoice: 'lnbc1', amount: 10n }, T0);
    const b = appendJournal(db, 'o1', 'pay:after', { ok: true }, T0 + 1);
    appendJournal(db, 'o2', 'hold:add', null, T0);
    const e = Object.assign(new Error('no route'), { code: 'no_route' });
    appendJournal(db, 'o3', 'pay:error', { error: e }, T0);
    assert.deepEqual(listJournal(db, 'o3')[0]!.detail, {
      error: { name: 'Error', message: 'no route', code: 'no_route' },
    });
    assert.ok(b > a);
    assert.deepEqual(listJournal(db, 'o1'), [
      { seq: a, order_id: 'o1', step: 'pay:before', detail: { invoice: 'lnbc1', amount: '10' }, at: T0 },
      { seq: b, order_id: 'o1', step: 'pay:after', detail: { ok: true }, at: T0 + 1 },
    ]);
  });

  test('kv set/get/overwrite/delete/list by prefix', () => {
    const { db } = fresh();
    assert.equal(getKv(db, 'relay:wss://a'), undefined);
    setKv(db, 'relay:wss://a', { since: 5 }, T0);
    setKv(db, 'relay:wss://a', { since: 7 }, T0);
    setKv(db, 'relay:wss://b', { since: 1 }, T0);
    setKv(db, 'other', 'x', T0);
    assert.deepEqual(getKv(db, 'relay:wss://a'), { since: 7 });
    assert.deepEqual(listKv(db, 'relay:'), { 'relay:wss://a': { since: 7 }, 'relay:wss://b': { since: 1 } });
    assert.equal(deleteKv(db, 'other'), true);
    assert.equal(deleteKv(db, 'other'), false);
  });
});
