// Versioned schema migrations: an ordered list, a schema_version table, each migration applied in
// its own transaction together with its version row, so a crash leaves the database either before
// or after a migration and a restart applies only what is missing.
import type { Database } from 'better-sqlite3';
import { initial } from './migrations/001-initial.ts';
import { orderRevisions } from './migrations/002-order-revisions.ts';
import { payerDeclarations } from './migrations/003-payer-declarations.ts';
import { outbox } from './migrations/004-outbox.ts';
import { devFee } from './migrations/005-dev-fee.ts';
import { reputationImports } from './migrations/006-reputation-imports.ts';
import type { Migration } from './migrations/migration.ts';

export type { Migration };

/** Every migration, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  orderRevisions,
  payerDeclarations,
  outbox,
  devFee,
  reputationImports,
];

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export function currentVersion(db: Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now = Math.floor(Date.now() / 1000),
): MigrationReport {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const from = currentVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new Error(`database schema version ${from} is newer than this mostrod (${latest}); upgrade mostrod`);
  }
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now);
    })();
    applied.push(`${String(m.version).padStart(3, '0')}-${m.name}`);
  }
  return { from, to: currentVersion(db), applied };
}
