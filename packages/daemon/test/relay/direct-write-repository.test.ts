// The direct write path stores exactly what the library's kysely write path stores: the same
// sequence of events (regular, replaceable, parameterized replaceable newer / older / same second,
// duplicates, searchable kinds, many tags) into both, then every table compared row by row, and
// every upsert answered the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event } from '@nostr-relay/common';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import Database from 'better-sqlite3';
import { DirectWriteRepository, genericTagsOf } from '../../src/relay/direct-write-repository.ts';
import { keypair, signed } from './nostr-fixtures.ts';

function sequence(): Event[] {
  const alice = keypair();
  const bob = keypair();
  const t = 1_800_000_000;
  const order = (created_at: number, status: string) =>
    signed(alice.secret, {
      kind: 38383,
      created_at,
      tags: [
        ['d', 'order-1'],
        ['s', status],
        ['k', 'sell'],
        ['y', 'mostro'],
      ],
    });
  const first = order(t, 'pending');
  const newer = order(t + 10, 'in-progress');
  const older = order(t - 10, 'canceled');
  const sameSecond = [order(t + 10, 'success'), order(t + 10, 'expired')];
  const dm = signed(bob.secret, {
    kind: 14,
    created_at: t,
    content: 'sealed',
    tags: [
      ['p', alice.pubkey],
      ['p', alice.pubkey],
      ['expiration', String(t + 86_400)],
    ],
  });
  const note = signed(bob.secret, { kind: 1, created_at: t, content: 'a searchable note', tags: [['t', 'mostro']] });
  const profile = (created_at: number, name: string) =>
    signed(bob.secret, { kind: 0, created_at, content: JSON.stringify({ name, about: 'trader' }) });
  const relays = signed(alice.secret, { kind: 10002, created_at: t, tags: [['r', 'wss://relay.example']] });
  return [
    first,
    newer,
    older,
    ...sameSecond,
    dm,
    dm,
    note,
    profile(t, 'bob'),
    profile(t + 1, 'bobby'),
    profile(t - 1, 'old bob'),
    relays,
    first,
  ] as Event[];
}

async function store(repository: EventRepositorySqlite, events: Event[]) {
  await repository.init();
  const answers: boolean[] = [];
  for (const e of events) answers.push((await repository.upsert(e)).isDuplicate);
  const db = repository.getDatabase();
  const tables = {
    events: db.prepare('SELECT * FROM events ORDER BY id').all(),
    tags: db.prepare('SELECT * FROM generic_tags ORDER BY event_id, tag').all(),
    search: db.prepare('SELECT id, content FROM events_fts ORDER BY id').all(),
  };
  await repository.destroy();
  return { answers, tables };
}

describe('relay: direct write repository', () => {
  it('stores what the library stores, and answers each upsert the same', async () => {
    const events = sequence();
    const library = await store(new EventRepositorySqlite(new Database(':memory:')), events);
    const direct = await store(new DirectWriteRepository(new Database(':memory:')), events);
    assert.deepEqual(direct.answers, library.answers);
    assert.deepEqual(direct.tables, library.tables);
    // The sequence exercised every branch: replacements, refusals and the search index.
    assert.ok(library.answers.includes(true) && library.answers.includes(false));
    assert.equal(library.tables.search.length, 2, 'the note and the newest profile');
  });

  it('reads back through the library: a #p query finds the DM, the winning revision replaced the order', async () => {
    const events = sequence();
    const repository = new DirectWriteRepository(new Database(':memory:'));
    await repository.init();
    for (const e of events) await repository.upsert(e);
    const dm = events.find((e) => e.kind === 14)!;
    const found = await repository.find({ kinds: [14], '#p': [dm.tags[0]![1]!] });
    assert.deepEqual(
      found.map((e) => e.id),
      [dm.id],
    );
    const orders = await repository.find({ kinds: [38383], '#d': ['order-1'] });
    // Three revisions share the newest second: the one with the lowest id wins (NIP-01).
    const newest = events.filter((e) => e.kind === 38383 && e.created_at === 1_800_000_010);
    assert.equal(newest.length, 3);
    assert.deepEqual(
      orders.map((e) => e.id),
      [newest.map((e) => e.id).sort()[0]],
    );
    await repository.destroy();
  });

  it('generic tags: single-letter names only, each name:value once', () => {
    assert.deepEqual(
      genericTagsOf({
        tags: [
          ['p', 'a'],
          ['p', 'a'],
          ['P', 'b'],
          ['expiration', '1'],
          ['e', 'c', 'wss://x'],
        ],
      }),
      ['p:a', 'P:b', 'e:c'],
    );
  });
});
