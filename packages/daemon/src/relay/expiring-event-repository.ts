// NIP-40 on top of the library's SQLite repository (with direct writes, direct-write-repository.ts). The core already refuses events that are
// expired when they arrive; this adds the other half: an event whose `expiration` passes while
// stored is never served again, and a periodic purge deletes it.
import type { Event, Filter } from '@nostr-relay/common';
import { DirectWriteRepository } from './direct-write-repository.ts';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The NIP-40 expiration timestamp of an event, or undefined when it has none (or an unreadable one). */
export function expirationOf(event: Pick<Event, 'tags'>): number | undefined {
  const tag = event.tags.find((t) => t[0] === 'expiration');
  if (!tag || tag[1] === undefined || !/^\d+$/.test(tag[1])) return undefined;
  return Number(tag[1]);
}

export const isExpired = (event: Pick<Event, 'tags'>, now = nowSeconds()): boolean => {
  const expiration = expirationOf(event);
  return expiration !== undefined && expiration <= now;
};

export class ExpiringEventRepository extends DirectWriteRepository {
  override async find(filter: Filter): Promise<Event[]> {
    const now = nowSeconds();
    const events = await super.find(filter);
    return events.filter((event) => !isExpired(event, now));
  }

  /** Delete every stored event whose expiration has passed. Returns how many were deleted. */
  purgeExpired(now = nowSeconds()): number {
    const db = this.getDatabase();
    // Tags are stored as a JSON array; generic_tags rows go with their event (ON DELETE CASCADE).
    const expired = db
      .prepare(
        `SELECT e.id FROM events e WHERE e.tags LIKE '%"expiration"%' AND EXISTS (
           SELECT 1 FROM json_each(e.tags) t
           WHERE json_extract(t.value, '$[0]') = 'expiration'
             AND json_type(t.value, '$[1]') = 'text'
             AND json_extract(t.value, '$[1]') != '' AND json_extract(t.value, '$[1]') NOT GLOB '*[^0-9]*'
             AND CAST(json_extract(t.value, '$[1]') AS INTEGER) <= ?)`,
      )
      .pluck()
      .all(now) as string[];
    if (expired.length === 0) return 0;
    const deleteEvent = db.prepare('DELETE FROM events WHERE id = ?');
    const deleteSearch = db.prepare('DELETE FROM events_fts WHERE id = ?');
    db.transaction((ids: string[]) => {
      for (const id of ids) {
        deleteEvent.run(id);
        deleteSearch.run(id);
      }
    })(expired);
    return expired.length;
  }
}
