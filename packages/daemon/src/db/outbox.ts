// Rows of the durable outbox (migration 003). A lane is a delivery order: the rows of one lane go
// out one after another, oldest first; different lanes do not wait for each other.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface OutboxRow {
  id: number;
  lane: string;
  recipient: string | null;
  transport: string | null;
  message: string | null;
  event: string | null;
  queued_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

export interface NewOutboxRow {
  lane: string;
  recipient?: string | null;
  transport?: string | null;
  message?: string | null;
  event?: string | null;
  queuedAt: number;
  nowMs: number;
}

export function enqueueOutbox(db: Db, row: NewOutboxRow): number {
  const r = stmt(
    db,
    `INSERT INTO outbox (lane, recipient, transport, message, event, queued_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.lane,
    row.recipient ?? null,
    row.transport ?? null,
    row.message ?? null,
    row.event ?? null,
    row.queuedAt,
    row.nowMs,
  );
  return Number(r.lastInsertRowid);
}

/** Drops the unsent rows of a lane (a newer replaceable event supersedes them). */
export function clearOutboxLane(db: Db, lane: string): number {
  return stmt(db, 'DELETE FROM outbox WHERE lane = ?').run(lane).changes;
}

/** The head row of every lane that is due at `nowMs`, oldest first. */
export function dueOutboxHeads(db: Db, nowMs: number, limit: number): OutboxRow[] {
  return stmt(
    db,
    `SELECT o.* FROM outbox o
     WHERE o.id = (SELECT MIN(id) FROM outbox WHERE lane = o.lane) AND o.next_attempt_at <= ?
     ORDER BY o.id LIMIT ?`,
  ).all(nowMs, limit) as OutboxRow[];
}

/**
 * The earliest next_attempt_at of any lane head, or null when the outbox is empty. The heads come
 * from one pass over the (lane, id) index: with a backlog of hundreds of rows this is about four
 * times cheaper than a per-row subquery, and the delivery asks after every delivered row.
 */
export function nextOutboxAttempt(db: Db): number | null {
  const row = stmt(
    db,
    `SELECT MIN(o.next_attempt_at) AS at FROM (SELECT MIN(id) AS id FROM outbox GROUP BY lane) h JOIN outbox o ON o.id = h.id`,
  ).get() as { at: number | null };
  return row.at;
}

/** Stores the wrapped event of a DM before its first publication; the plaintext is dropped. */
export function setOutboxEvent(db: Db, id: number, event: string): void {
  stmt(db, 'UPDATE outbox SET event = ?, message = NULL WHERE id = ?').run(event, id);
}

export function outboxDelivered(db: Db, id: number): void {
  stmt(db, 'DELETE FROM outbox WHERE id = ?').run(id);
}

export function outboxFailed(db: Db, id: number, nextAttemptAt: number, error: string): void {
  stmt(db, 'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?').run(
    nextAttemptAt,
    error,
    id,
  );
}

/** Makes every waiting row due now (a relay came back: no reason to wait out the backoff). */
export function outboxRetryNow(db: Db, nowMs: number): number {
  return stmt(db, 'UPDATE outbox SET next_attempt_at = ? WHERE next_attempt_at > ?').run(nowMs, nowMs).changes;
}

export function outboxBacklog(db: Db): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
}

export function listOutbox(db: Db): OutboxRow[] {
  return stmt(db, 'SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
}
