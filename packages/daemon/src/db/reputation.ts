// Reputation portability storage (migration 006): the recorded imports, the export binding of an
// account, the issuer keys seen, and used rebind authorisations.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';
import type { UserRow } from './users.ts';

export interface ReputationImportRow {
  attestation_id: string;
  issuer: string;
  issuer_key: string;
  subject: string;
  identity_pubkey: string;
  trade_pubkey: string | null;
  reviews: number;
  rating_hundredths: number;
  since: number;
  imported_at: number;
}

/** Records an import; false when (issuer, subject) or (issuer, identity) is already taken. */
export function insertReputationImport(db: Db, row: ReputationImportRow): boolean {
  const r = stmt(
    db,
    `INSERT INTO reputation_imports (attestation_id, issuer, issuer_key, subject, identity_pubkey, trade_pubkey,
       reviews, rating_hundredths, since, imported_at)
     VALUES (@attestation_id, @issuer, @issuer_key, @subject, @identity_pubkey, @trade_pubkey, @reviews,
       @rating_hundredths, @since, @imported_at)
     ON CONFLICT DO NOTHING`,
  ).run(row);
  return r.changes === 1;
}

export function getReputationImport(db: Db, attestationId: string): ReputationImportRow | undefined {
  return stmt(db, 'SELECT * FROM reputation_imports WHERE attestation_id = ?').get(attestationId) as
    | ReputationImportRow
    | undefined;
}

export function importsForIdentity(db: Db, identity: string): ReputationImportRow[] {
  return stmt(db, 'SELECT * FROM reputation_imports WHERE identity_pubkey = ? ORDER BY imported_at').all(
    identity,
  ) as ReputationImportRow[];
}

/** Imports signed by `issuerKey`, or only those this node recorded at or after `importedAfter`. */
export function importsByIssuerKey(db: Db, issuerKey: string, importedAfter: number | null): ReputationImportRow[] {
  return stmt(
    db,
    'SELECT * FROM reputation_imports WHERE issuer_key = ? AND imported_at >= ? ORDER BY imported_at',
  ).all(issuerKey, importedAfter ?? Number.MIN_SAFE_INTEGER) as ReputationImportRow[];
}

export function deleteReputationImport(db: Db, attestationId: string): void {
  stmt(db, 'DELETE FROM reputation_imports WHERE attestation_id = ?').run(attestationId);
}

/** The issuer name a key was first recorded under (null: never seen). */
export function issuerOfKey(db: Db, issuerKey: string): string | null {
  const row = stmt(db, 'SELECT issuer FROM reputation_issuer_keys WHERE issuer_key = ?').get(issuerKey) as
    | { issuer: string }
    | undefined;
  return row?.issuer ?? null;
}

export function rememberIssuerKey(db: Db, issuerKey: string, issuer: string, now: number): void {
  stmt(
    db,
    'INSERT INTO reputation_issuer_keys (issuer_key, issuer, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(issuerKey, issuer, now);
}

/**
 * Binds an account's export to `destination` when it is unbound or bound to it already (a
 * compare-and-set: two racing exports cannot bind two identities). False when bound elsewhere.
 */
export function bindReputationExport(db: Db, identity: string, destination: string, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE users SET reputation_exported_to = @destination, reputation_exported_at = @now
       WHERE pubkey = @identity AND (reputation_exported_to IS NULL OR reputation_exported_to = @destination)`,
    ).run({ identity, destination, now }).changes === 1
  );
}

/** Moves the binding from `from` to `to`; false when it is not bound to `from` (any more). */
export function moveReputationExport(db: Db, identity: string, from: string, to: string, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE users SET reputation_exported_to = @to, reputation_exported_at = @now
       WHERE pubkey = @identity AND reputation_exported_to = @from`,
    ).run({ identity, from, to, now }).changes === 1
  );
}

/** The operator's rebind: binds the account's export to `to` whatever it was bound to. */
export function setReputationExport(db: Db, identity: string, to: string, now: number): void {
  stmt(db, 'UPDATE users SET reputation_exported_to = ?, reputation_exported_at = ? WHERE pubkey = ?').run(
    to,
    now,
    identity,
  );
}

/** Remembers a used rebind authorisation; false when it was used before (a replay). */
export function useRebind(db: Db, id: string, validUntil: number, now: number): boolean {
  stmt(db, 'DELETE FROM reputation_rebinds WHERE valid_until < ?').run(now);
  return (
    stmt(db, 'INSERT INTO reputation_rebinds (id, valid_until) VALUES (?, ?) ON CONFLICT DO NOTHING').run(
      id,
      validUntil,
    ).changes === 1
  );
}

/** Completed trades of an identity on either side, and when the first began (taken, else created). */
export function completedTrades(db: Db, identity: string): { count: number; first: number | null } {
  const row = stmt(
    db,
    `SELECT COUNT(*) AS count, MIN(CASE WHEN taken_at > 0 THEN taken_at ELSE created_at END) AS first
     FROM orders WHERE status = 'success' AND (master_buyer_pubkey = @id OR master_seller_pubkey = @id)`,
  ).get({ id: identity }) as { count: number; first: number | null };
  return row;
}

/** The reputation columns of a user, written back after an import or its reversal. */
export type ReputationFigures = Pick<
  UserRow,
  | 'total_reviews'
  | 'mean_rating'
  | 'last_rating'
  | 'min_rating'
  | 'max_rating'
  | 'created_at'
  | 'seeded_reviews'
  | 'seeded_rating_sum'
  | 'native_created_at'
>;

export function writeReputationFigures(db: Db, identity: string, f: ReputationFigures): void {
  stmt(
    db,
    `UPDATE users SET total_reviews = @total_reviews, mean_rating = @mean_rating, last_rating = @last_rating,
       min_rating = @min_rating, max_rating = @max_rating, created_at = @created_at,
       seeded_reviews = @seeded_reviews, seeded_rating_sum = @seeded_rating_sum,
       native_created_at = @native_created_at
     WHERE pubkey = @identity`,
  ).run({ ...f, identity });
}
