// The node as a reputation issuer (reference-0.20.md §4.4 "Export"): who may export, what is
// attested (native figures only, so an imported reputation never travels on), and the binding of
// an account to one destination identity, moved only by a rebind the bound identity signed.
import {
  ATTESTATION_MIN_SINCE,
  buildReputationAttestation,
  type CantDoReason,
  type NostrEvent,
  readReputationRebind,
  signEvent,
} from '@mostro/protocol';
import { schnorr } from '@noble/curves/secp256k1.js';
import { decode as nip19decode } from 'nostr-tools/nip19';
import type { Db } from '../db/open.ts';
import { transaction } from '../db/open.ts';
import { bindReputationExport, completedTrades, moveReputationExport, useRebind } from '../db/reputation.ts';
import { getUser } from '../db/users.ts';
import { nativeStats } from './figures.ts';

/** Fewest completed trades and native ratings an account needs to export. */
export const MIN_COMPLETED_TRADES = 10;
export const MIN_NATIVE_REVIEWS = 5;
const DAY = 86_400;

export interface IssuerKey {
  secretKey: Uint8Array;
  pubkey: string;
}

/** The issuer key from the variable `[reputation_export] issuer_key_env` names (hex or nsec1…). */
export function readIssuerKey(raw: string | undefined): IssuerKey | null {
  const v = raw?.trim() ?? '';
  let secretKey: Uint8Array | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(v)) secretKey = Uint8Array.from(Buffer.from(v, 'hex'));
  else if (v.startsWith('nsec1')) {
    try {
      const d = nip19decode(v);
      if (d.type === 'nsec') secretKey = d.data;
    } catch {
      secretKey = null;
    }
  }
  if (secretKey === null) return null;
  try {
    return { secretKey, pubkey: Buffer.from(schnorr.getPublicKey(secretKey)).toString('hex') };
  } catch {
    return null;
  }
}

/** 64 lowercase hex characters that are the x coordinate of a curve point. */
export function isValidIdentityKey(hex: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(hex)) return false;
  try {
    schnorr.utils.lift_x(BigInt(`0x${hex}`));
    return true;
  } catch {
    return false;
  }
}

export interface ExportRequest {
  identity: string;
  destination: string;
  /** The rebind authorisation's event JSON, when moving the binding. */
  rebind: string | null;
  issuer: IssuerKey;
  now: number;
  lifetimeSeconds: number;
}

export type ExportResult = { ok: true; attestation: NostrEvent } | { ok: false; reason: CantDoReason; detail: string };

const refuse = (reason: CantDoReason, detail: string): ExportResult => ({ ok: false, reason, detail });

/** The checks after the payload and proof: destination, eligibility, binding; then the signature. */
export function exportReputation(db: Db, req: ExportRequest): ExportResult {
  if (!isValidIdentityKey(req.destination)) return refuse('invalid_payload', 'destination is not a key');
  const user = getUser(db, req.identity);
  const notEligible = (detail: string) => refuse('not_eligible_for_reputation_export', detail);
  if (!user) return notEligible('unknown identity');
  if (user.is_banned) return notEligible('banned');
  const native = nativeStats(user);
  const trades = completedTrades(db, req.identity);
  if (trades.count < MIN_COMPLETED_TRADES) return notEligible(`${trades.count} completed trades`);
  if (native.reviews < MIN_NATIVE_REVIEWS) return notEligible(`${native.reviews} native ratings`);
  if (trades.first === null || trades.first - (trades.first % DAY) < ATTESTATION_MIN_SINCE) {
    return notEligible('no first trade on record since 2020');
  }

  const bound = transaction(db, () => {
    if (bindReputationExport(db, req.identity, req.destination, req.now)) return null;
    if (req.rebind === null) return refuse('reputation_bound_to_other_identity', 'bound to another identity');
    const current = getUser(db, req.identity)?.reputation_exported_to ?? '';
    const rebind = readReputationRebind(req.rebind, {
      now: req.now,
      boundIdentity: current,
      issuerKey: req.issuer.pubkey,
      destination: req.destination,
    });
    if (!rebind.ok) return refuse('invalid_reputation_rebind', rebind.detail);
    if (!useRebind(db, rebind.id, rebind.validUntil, req.now)) return refuse('invalid_reputation_rebind', 'replayed');
    if (!moveReputationExport(db, req.identity, current, req.destination, req.now)) {
      return refuse('invalid_reputation_rebind', 'binding changed meanwhile');
    }
    return null;
  });
  if (bound !== null) return bound;

  const template = buildReputationAttestation({
    destination: req.destination,
    subject: req.identity,
    reviews: native.reviews,
    averageRating: native.average,
    since: trades.first,
    now: req.now,
    lifetimeSeconds: req.lifetimeSeconds,
  });
  return { ok: true, attestation: signEvent(template, req.issuer.secretKey) };
}
