// The node as a reputation importer (reference-0.20.md §4.4 "Import"): the redemption checks in the
// spec's order, then the import recorded and merged into the identity's aggregate in one
// transaction. The unique keys (issuer, subject) and (issuer, identity) make a second import of one
// source impossible, even under concurrency; resending the very same attestation is answered as a
// success without merging it again.
import { type CantDoReason, type ReputationAttestation, readReputationAttestation } from '@mostro/protocol';
import type { Settings } from '../config/index.ts';
import type { Db } from '../db/open.ts';
import { transaction } from '../db/open.ts';
import {
  getReputationImport,
  insertReputationImport,
  issuerOfKey,
  rememberIssuerKey,
  writeReputationFigures,
} from '../db/reputation.ts';
import { getOrCreateUser, getUser, type UserRow } from '../db/users.ts';
import { withImport } from './figures.ts';

export interface ImportRequest {
  /** The attestation event's JSON text. */
  json: string;
  /** The identity the transport proved. */
  identity: string;
  tradePubkey: string;
  now: number;
  /** This node's own export key: an attestation it signed is never imported back. */
  ownIssuerKey: string | null;
}

export type ImportResult =
  | { ok: true; user: UserRow; replay: boolean; attestation: ReputationAttestation; issuer: string }
  | { ok: false; reason: CantDoReason; detail: string };

/** The trust-list entry name of an issuer key (null: not trusted). */
export function trustedIssuer(settings: Settings['reputation_import'], key: string): string | null {
  return settings.issuers.find((entry) => entry.keys.includes(key))?.name ?? null;
}

/** A trust-list key recorded earlier under another name (the node refuses to start with it). */
export function renamedIssuerKeys(db: Db, settings: Settings['reputation_import']): string[] {
  const problems: string[] = [];
  for (const entry of settings.issuers) {
    for (const key of entry.keys) {
      const recorded = issuerOfKey(db, key);
      if (recorded !== null && recorded !== entry.name) {
        problems.push(`reputation_import.issuers: key ${key} was recorded under "${recorded}", now "${entry.name}"`);
      }
    }
  }
  return problems;
}

export function importReputation(db: Db, settings: Settings['reputation_import'], req: ImportRequest): ImportResult {
  const verdict = readReputationAttestation(req.json, {
    now: req.now,
    maxLifetimeSeconds: settings.max_lifetime_seconds,
  });
  if (!verdict.ok) {
    if (verdict.reason === 'expired_reputation_attestation') {
      const replay = replayOf(db, req);
      if (replay) return replay;
    }
    return { ok: false, reason: verdict.reason, detail: verdict.detail };
  }
  const attestation = verdict.attestation;
  const issuer = attestation.issuer === req.ownIssuerKey ? null : trustedIssuer(settings, attestation.issuer);
  if (issuer === null) return { ok: false, reason: 'untrusted_reputation_issuer', detail: attestation.issuer };
  if (attestation.destination !== req.identity) {
    return { ok: false, reason: 'reputation_identity_mismatch', detail: 'addressed to another identity' };
  }
  return transaction(db, (): ImportResult => {
    const previous = getReputationImport(db, attestation.id);
    if (previous?.identity_pubkey === req.identity) {
      return { ok: true, user: getUser(db, req.identity) as UserRow, replay: true, attestation, issuer };
    }
    const user = getOrCreateUser(db, req.identity, req.now);
    const recorded = insertReputationImport(db, {
      attestation_id: attestation.id,
      issuer,
      issuer_key: attestation.issuer,
      subject: attestation.subject,
      identity_pubkey: req.identity,
      trade_pubkey: req.tradePubkey,
      reviews: attestation.reviews,
      rating_hundredths: attestation.ratingHundredths,
      since: attestation.since,
      imported_at: req.now,
    });
    if (!recorded)
      return { ok: false, reason: 'reputation_already_imported', detail: `${issuer}/${attestation.subject}` };
    rememberIssuerKey(db, attestation.issuer, issuer, req.now);
    writeReputationFigures(db, req.identity, withImport(user, attestation));
    return { ok: true, user: getUser(db, req.identity) as UserRow, replay: false, attestation, issuer };
  });
}

/** An expired attestation that this identity imported before: the retry succeeds. */
function replayOf(db: Db, req: ImportRequest): ImportResult | null {
  let id: unknown;
  try {
    id = (JSON.parse(req.json) as { id?: unknown }).id;
  } catch {
    return null;
  }
  if (typeof id !== 'string') return null;
  const previous = getReputationImport(db, id);
  const user = getUser(db, req.identity);
  if (previous?.identity_pubkey !== req.identity || !user) return null;
  // The recorded row proves the event was verified when it was imported; only its id is compared.
  const verdict = readReputationAttestation(req.json, {
    now: previous.imported_at,
    maxLifetimeSeconds: Number.MAX_SAFE_INTEGER,
  });
  if (!verdict.ok) return null;
  return { ok: true, user, replay: true, attestation: verdict.attestation, issuer: previous.issuer };
}
