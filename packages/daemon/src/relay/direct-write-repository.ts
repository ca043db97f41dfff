// The library's SQLite repository with its write path done in plain prepared statements. The
// library builds every statement of an upsert through kysely (query objects, compilation, an async
// connection mutex, one microtask hop per statement): on the relay thread that was most of the cost
// of storing an event. Same schema, same SQL semantics (replaceable upsert rules, generic tags, the
// search index), one synchronous better-sqlite3 transaction per event; reads stay the library's.
import { type Event, EventUtils } from '@nostr-relay/common';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
// Not re-exported by the package's index; the same function the library's upsert uses.
import { extractSearchableContent } from '@nostr-relay/event-repository-sqlite/dist/search.js';
import type BetterSqlite3 from 'better-sqlite3';

type Upsert = (event: Event) => { isDuplicate: boolean };

export class DirectWriteRepository extends EventRepositorySqlite {
  private directUpsert: Upsert | undefined;

  override async init(): Promise<void> {
    await super.init();
    this.directUpsert = compileUpsert(this.getDatabase());
  }

  override async upsert(event: Event): Promise<{ isDuplicate: boolean }> {
    if (!this.directUpsert) return super.upsert(event);
    try {
      return this.directUpsert(event);
    } catch (error) {
      // The id is the primary key: the same event again (the library answers the same).
      if (error instanceof Error && error.message.includes('UNIQUE constraint failed')) return { isDuplicate: true };
      throw error;
    }
  }
}

/** The rows the library's `#x` queries read: `name:value` of every single-letter tag, once each. */
export function genericTagsOf(event: Pick<Event, 'tags'>): string[] {
  const tags = new Set<string>();
  for (const [name, value] of event.tags)
    if (name !== undefined && /^[a-zA-Z]$/.test(name)) tags.add(`${name}:${value}`);
  return [...tags];
}

function compileUpsert(db: BetterSqlite3.Database): Upsert {
  const replacedId = db
    .prepare('SELECT id FROM events WHERE author = ? AND kind = ? AND d_tag_value = ?')
    .pluck() as BetterSqlite3.Statement<[string, number, string], string>;
  // A newer replaceable (or same age, lower id) replaces the stored one; anything else is a duplicate.
  const insertEvent = db.prepare(
    `INSERT INTO events (id, pubkey, author, kind, created_at, tags, content, sig, d_tag_value)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (author, kind, d_tag_value) WHERE d_tag_value IS NOT NULL DO UPDATE SET
       id = excluded.id, pubkey = excluded.pubkey, created_at = excluded.created_at,
       tags = excluded.tags, content = excluded.content, sig = excluded.sig
     WHERE events.created_at < excluded.created_at
        OR (events.created_at = excluded.created_at AND events.id > excluded.id)`,
  );
  const deleteTags = db.prepare('DELETE FROM generic_tags WHERE event_id = ?');
  const insertTag = db.prepare(
    'INSERT INTO generic_tags (tag, event_id, kind, author, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteSearch = db.prepare('DELETE FROM events_fts WHERE id = ?');
  const insertSearch = db.prepare('INSERT INTO events_fts (id, content) VALUES (?, ?)');

  return db.transaction((event: Event) => {
    const author = EventUtils.getAuthor(event);
    const dTagValue = EventUtils.extractDTagValue(event);
    const oldId = dTagValue === null ? undefined : replacedId.get(author, event.kind, dTagValue);
    const inserted = insertEvent.run(
      event.id,
      event.pubkey,
      author,
      event.kind,
      event.created_at,
      JSON.stringify(event.tags),
      event.content,
      event.sig,
      dTagValue,
    );
    if (inserted.changes === 0) return { isDuplicate: true };
    const tags = genericTagsOf(event);
    if (tags.length > 0) {
      // A replaced event's tag rows followed its id to the new one (ON UPDATE CASCADE): start over.
      deleteTags.run(event.id);
      for (const tag of tags) insertTag.run(tag, event.id, event.kind, author, event.created_at);
    }
    if (oldId) deleteSearch.run(oldId);
    const searchable = extractSearchableContent(event);
    if (searchable) insertSearch.run(event.id, searchable);
    return { isDuplicate: false };
  });
}
