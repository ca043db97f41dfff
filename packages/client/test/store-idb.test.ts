// The browser session store over a real IndexedDB implementation (fake-indexeddb, the W3C tests'
// engine): a session sealed, reopened by a second store on the same database, wrong passphrase
// refused, and concurrent updates that never lose a trade-index reservation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDBFactory } from 'fake-indexeddb';
import { ClientError } from '../src/errors.ts';
import { Session } from '../src/session/session.ts';
import { IndexedDbSessionStore } from '../src/session/store.idb.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';

describe('IndexedDB session store', () => {
  it('keeps only the sealed blob and reopens it from another store on the same database', async () => {
    const indexedDB = new IDBFactory();
    const a = new IndexedDbSessionStore({ indexedDB, locks: null });
    assert.equal(await a.read(), null);
    const s = await Session.create(a, 'pass one', { mnemonic: M1, scrypt: FAST });
    await s.reserveTradeIndex();
    const blob = (await a.read()) as string;
    assert.ok(!blob.includes('leader'), 'the mnemonic is not in the clear');
    const b = new IndexedDbSessionStore({ indexedDB, locks: null });
    const again = await Session.open(b, 'pass one');
    assert.equal(again.data.lastTradeIndex, 1);
    await assert.rejects(
      Session.open(b, 'wrong'),
      (e: unknown) => e instanceof ClientError && e.code === 'wrong_passphrase',
    );
    await b.clear();
    assert.equal(await b.read(), null);
  });

  it('serializes concurrent updates: 20 reservations give 20 distinct indexes', async () => {
    const store = new IndexedDbSessionStore({ indexedDB: new IDBFactory(), locks: null });
    const s = await Session.create(store, 'p', { mnemonic: M1, scrypt: FAST });
    const keys = await Promise.all(Array.from({ length: 20 }, () => s.reserveTradeIndex()));
    assert.deepEqual(new Set(keys.map((k) => k.index)).size, 20);
    const reopened = await Session.open(store, 'p');
    assert.equal(reopened.data.lastTradeIndex, 20);
  });

  it('a failing change writes nothing', async () => {
    const store = new IndexedDbSessionStore({ indexedDB: new IDBFactory(), locks: null });
    await store.update(() => 'first');
    await assert.rejects(
      store.update(() => {
        throw new Error('boom');
      }),
    );
    assert.equal(await store.read(), 'first');
  });
});
