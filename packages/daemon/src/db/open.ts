// Opening the node's database: WAL (readers never block the writer), foreign keys enforced, a busy
// timeout instead of immediate SQLITE_BUSY, and the schema migrated to the latest version.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { type MigrationReport, migrate } from './migrations.ts';

export type Db = Database;

export interface OpenOptions {
  /** Milliseconds to wait on a lock held by another connection. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): { db: Db; migration: MigrationReport } {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL is durable across application crashes (only an OS crash may lose the
      // last transactions), and much faster than FULL.
      db.pragma('synchronous = NORMAL');
    }
    const migration = options.readonly ? { from: 0, to: 0, applied: [] } : migrate(db);
    return { db, migration };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Runs `fn` in one transaction: everything it writes is committed together, or nothing is if it
 * throws. Nested calls become savepoints. `fn` must be synchronous: an async function would commit
 * at its first await, so a promise result is refused (and the transaction rolled back).
 */
export function transaction<T>(db: Db, fn: () => T): T {
  return db.transaction(() => {
    const result = fn();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw new TypeError('transaction(): fn must be synchronous (it returned a promise)');
    }
    return result;
  })();
}
