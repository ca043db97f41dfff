// The operator's reputation tools, for the admin RPC (reference-0.20.md §4.4, §6):
// RevokeReputationImports reverses every import signed by a compromised issuer key (or only those
// this node recorded from `importedAfter` on, on its own clock: an attestation's created_at is
// whatever the key's holder chose) and deletes their rows, so the users can import again from the
// rotated key; RebindReputationExport moves an account's export binding by the operator's word.
import { nip19 } from 'nostr-tools';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { transaction } from '../db/open.ts';
import {
  deleteReputationImport,
  importsByIssuerKey,
  importsForIdentity,
  setReputationExport,
  writeReputationFigures,
} from '../db/reputation.ts';
import { getUser, type UserRow } from '../db/users.ts';
import { withoutImport } from './figures.ts';
import { isValidIdentityKey } from './issuer.ts';

export interface OperatorDeps {
  db: Db;
  clock: Clock;
  /** Republishes the 38384 under a trade key with the user's corrected aggregate. */
  publishRating(d: string, user: UserRow): Promise<void>;
  log: { warn(line: string): void };
}

export type OperatorResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A key given as hex or npub, as lowercase hex; null when it is neither. */
export function keyFromUser(text: string): string | null {
  const v = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return isValidIdentityKey(v.toLowerCase()) ? v.toLowerCase() : null;
  try {
    const d = nip19.decode(v);
    return d.type === 'npub' && isValidIdentityKey(d.data) ? d.data : null;
  } catch {
    return null;
  }
}

export async function revokeReputationImports(
  deps: OperatorDeps,
  issuerKey: string,
  importedAfter: number | null = null,
  reason: string | null = null,
): Promise<OperatorResult<{ revoked: number }>> {
  const key = keyFromUser(issuerKey);
  if (key === null) return { ok: false, error: 'issuer_key: expected a hex or npub key' };
  const rows = importsByIssuerKey(deps.db, key, importedAfter);
  for (const row of rows) {
    const user = transaction(deps.db, () => {
      const current = getUser(deps.db, row.identity_pubkey);
      deleteReputationImport(deps.db, row.attestation_id);
      if (!current) return null;
      const remaining = importsForIdentity(deps.db, row.identity_pubkey).map((r) => r.since);
      const since = remaining.length > 0 ? Math.min(...remaining) : null;
      writeReputationFigures(
        deps.db,
        row.identity_pubkey,
        withoutImport(
          current,
          { reviews: row.reviews, ratingHundredths: row.rating_hundredths, since: row.since },
          since,
        ),
      );
      return getUser(deps.db, row.identity_pubkey) ?? null;
    });
    deps.log.warn(
      `reputation: revoked import ${row.attestation_id} of ${row.identity_pubkey} (${row.reviews} ratings from "${row.issuer}", key ${row.issuer_key})${reason ? `: ${reason}` : ''}`,
    );
    if (user && row.trade_pubkey) await deps.publishRating(row.trade_pubkey, user);
  }
  return { ok: true, value: { revoked: rows.length } };
}

export function rebindReputationExport(
  deps: Pick<OperatorDeps, 'db' | 'clock' | 'log'>,
  identity: string,
  newIdentity: string,
  reason: string,
): OperatorResult<{ previousIdentity: string | null }> {
  const from = keyFromUser(identity);
  const to = keyFromUser(newIdentity);
  if (from === null) return { ok: false, error: 'identity: expected a hex or npub key' };
  if (to === null) return { ok: false, error: 'new_identity: expected a hex or npub key' };
  if (reason.trim() === '') return { ok: false, error: 'reason: required' };
  return transaction(deps.db, () => {
    const user = getUser(deps.db, from);
    if (!user) return { ok: false as const, error: 'identity: unknown on this node' };
    setReputationExport(deps.db, from, to, deps.clock.now());
    deps.log.warn(
      `reputation: export of ${from} rebound from ${user.reputation_exported_to ?? 'nobody'} to ${to}: ${reason}`,
    );
    return { ok: true as const, value: { previousIdentity: user.reputation_exported_to } };
  });
}
