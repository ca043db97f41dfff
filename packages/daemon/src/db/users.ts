// The users aggregate: reputation-mode identities and solvers/admins only. A full-private party
// never gets a row here (that would link its orders).
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export type SolverPermission = 'read' | 'read-write';

export interface UserRow {
  pubkey: string;
  is_admin: boolean;
  is_solver: boolean;
  solver_permission: SolverPermission | null;
  is_banned: boolean;
  last_trade_index: number;
  total_reviews: number;
  /** Mean of all ratings received (0 when there are none). */
  mean_rating: number;
  last_rating: number;
  min_rating: number;
  max_rating: number;
  created_at: number;
  /** Imported ratings (migration 006): count and sum; native = total − seeded. */
  seeded_reviews: number;
  seeded_rating_sum: number;
  native_rating_sum: number;
  native_created_at: number | null;
  /** The identity this account's reputation export is bound to. */
  reputation_exported_to: string | null;
  reputation_exported_at: number | null;
}

const BOOLEANS = ['is_admin', 'is_solver', 'is_banned'] as const;

function fromDb(row: Record<string, unknown> | undefined): UserRow | undefined {
  if (!row) return undefined;
  for (const k of BOOLEANS) row[k] = row[k] === 1;
  return row as unknown as UserRow;
}

export function getUser(db: Db, pubkey: string): UserRow | undefined {
  return fromDb(stmt(db, 'SELECT * FROM users WHERE pubkey = ?').get(pubkey) as Record<string, unknown> | undefined);
}

/** The user with this identity key, created (with created_at = now) if new. */
export function getOrCreateUser(db: Db, pubkey: string, now: number): UserRow {
  stmt(db, 'INSERT INTO users (pubkey, created_at) VALUES (?, ?) ON CONFLICT (pubkey) DO NOTHING').run(pubkey, now);
  return getUser(db, pubkey)!;
}

/** Sets last_trade_index unconditionally (creating the user if new). */
export function setLastTradeIndex(db: Db, pubkey: string, index: number, now: number): void {
  stmt(
    db,
    `INSERT INTO users (pubkey, last_trade_index, created_at) VALUES (@pubkey, @index, @now)
     ON CONFLICT (pubkey) DO UPDATE SET last_trade_index = @index`,
  ).run({ pubkey, index, now });
}

/**
 * Records `index` as the identity's last trade index if it is greater than the stored one (creating
 * the user if new). Returns false, changing nothing, if it is not greater: a reused index.
 */
export function advanceTradeIndex(db: Db, pubkey: string, index: number, now: number): boolean {
  const r = stmt(
    db,
    `INSERT INTO users (pubkey, last_trade_index, created_at) VALUES (@pubkey, @index, @now)
     ON CONFLICT (pubkey) DO UPDATE SET last_trade_index = @index WHERE users.last_trade_index < @index`,
  ).run({ pubkey, index, now });
  return r.changes === 1;
}

/**
 * Adds one rating (an integer, validated by the caller) to the user's aggregates with a correct
 * running mean: mean' = mean + (rating - mean) / n'. Returns the updated row.
 */
export function recordRating(db: Db, pubkey: string, rating: number, now: number): UserRow {
  stmt(
    db,
    `INSERT INTO users (pubkey, total_reviews, mean_rating, native_rating_sum, last_rating, min_rating, max_rating,
       created_at)
     VALUES (@pubkey, 1, @rating, @rating, @rating, @rating, @rating, @now)
     ON CONFLICT (pubkey) DO UPDATE SET
       total_reviews = total_reviews + 1,
       native_rating_sum = native_rating_sum + @rating,
       mean_rating = mean_rating + (@rating - mean_rating) / (total_reviews + 1),
       last_rating = @rating,
       min_rating = CASE WHEN total_reviews = 0 THEN @rating ELSE MIN(min_rating, @rating) END,
       max_rating = CASE WHEN total_reviews = 0 THEN @rating ELSE MAX(max_rating, @rating) END`,
  ).run({ pubkey, rating, now });
  return getUser(db, pubkey)!;
}

/** Makes `pubkey` a solver with this permission (creating the user if new). */
export function setSolver(db: Db, pubkey: string, permission: SolverPermission, now: number): UserRow {
  stmt(
    db,
    `INSERT INTO users (pubkey, is_solver, solver_permission, created_at) VALUES (@pubkey, 1, @permission, @now)
     ON CONFLICT (pubkey) DO UPDATE SET is_solver = 1, solver_permission = @permission`,
  ).run({ pubkey, permission, now });
  return getUser(db, pubkey)!;
}

export function setAdmin(db: Db, pubkey: string, isAdmin: boolean, now: number): UserRow {
  stmt(
    db,
    `INSERT INTO users (pubkey, is_admin, created_at) VALUES (@pubkey, @flag, @now)
     ON CONFLICT (pubkey) DO UPDATE SET is_admin = @flag`,
  ).run({ pubkey, flag: isAdmin ? 1 : 0, now });
  return getUser(db, pubkey)!;
}

export function setBanned(db: Db, pubkey: string, banned: boolean, now: number): UserRow {
  stmt(
    db,
    `INSERT INTO users (pubkey, is_banned, created_at) VALUES (@pubkey, @flag, @now)
     ON CONFLICT (pubkey) DO UPDATE SET is_banned = @flag`,
  ).run({ pubkey, flag: banned ? 1 : 0, now });
  return getUser(db, pubkey)!;
}

export function listSolvers(db: Db): UserRow[] {
  return (
    stmt(db, 'SELECT * FROM users WHERE is_solver = 1 ORDER BY created_at, pubkey').all() as Record<string, unknown>[]
  ).map((r) => fromDb(r)!);
}
