// Every processed event id is persisted, so that an event arriving again (from another relay, or
// after a restart) is never processed twice.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

/** Records `eventId` as processed. Returns true the first time, false if it was already recorded. */
export function markProcessed(db: Db, eventId: string, now: number): boolean {
  return (
    stmt(db, 'INSERT INTO processed_events (id, processed_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(
      eventId,
      now,
    ).changes === 1
  );
}

export function isProcessed(db: Db, eventId: string): boolean {
  return stmt(db, 'SELECT 1 FROM processed_events WHERE id = ?').get(eventId) !== undefined;
}

/**
 * Forgets ids processed before `before` (unix seconds). Safe once older events can no longer be
 * accepted anyway (the intake's replay window), which keeps the table small. Returns rows removed.
 */
export function pruneProcessed(db: Db, before: number): number {
  return stmt(db, 'DELETE FROM processed_events WHERE processed_at < ?').run(before).changes;
}
