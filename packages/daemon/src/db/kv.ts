// Small pieces of node state that survive restarts (e.g. the last created_at seen per relay, to
// resubscribe with `since`). Values are JSON.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export function getKv<T = unknown>(db: Db, key: string): T | undefined {
  const row = stmt(db, 'SELECT value FROM settings_kv WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

export function setKv(db: Db, key: string, value: unknown, now: number): void {
  stmt(
    db,
    `INSERT INTO settings_kv (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), now);
}

export function deleteKv(db: Db, key: string): boolean {
  return stmt(db, 'DELETE FROM settings_kv WHERE key = ?').run(key).changes === 1;
}

/** Keys starting with `prefix`, with their values. */
export function listKv(db: Db, prefix: string): Record<string, unknown> {
  const rows = stmt(db, 'SELECT key, value FROM settings_kv WHERE substr(key, 1, length(?)) = ? ORDER BY key').all(
    prefix,
    prefix,
  ) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}
