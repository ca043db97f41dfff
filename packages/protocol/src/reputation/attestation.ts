// Kind 38388, the portable reputation attestation and its rebind authorisation (reference-0.20.md
// §4.4). Never published to relays: the issuer hands the signed event to the user, who hands it to
// another node inside an `import-reputation` payload. Checking an attestation is pure (the caller
// supplies the clock and the lifetime cap), so issuer and importer agree on every rule.
import { type EventTemplate, type NostrEvent, readNostrEvent, verifyEventSignature } from '../crypto/event.ts';
import type { SecpBackend } from '../crypto/secp.ts';
import { ProtocolError } from '../message/errors.ts';
import { rustRound } from '../trade/round.ts';

export const REPUTATION_ATTESTATION_KIND = 38388;
/** Clock skew both ways the importer tolerates (seconds). */
export const ATTESTATION_CLOCK_SKEW = 300;
/** A rebind authorisation lives at most an hour. */
export const REBIND_MAX_LIFETIME = 3600;
/** No attestation may claim history from before 2020-01-01. */
export const ATTESTATION_MIN_SINCE = 1_577_836_800;
export const ATTESTATION_MIN_REVIEWS = 5;

const HEX64 = /^[0-9a-f]{64}$/;
const SUBJECT = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const RATING = /^[1-5]\.[0-9]{2}$/;
const DAY = 86_400;

/** `clamp(round_half_away(avg × 100), 100, 500)` written `d.dd` (4.895 → "4.89": f64 math). */
export function attestationRating(average: number): string {
  if (!Number.isFinite(average)) throw new ProtocolError('invalid_value', 'average', 'expected a finite number');
  const hundredths = Math.min(500, Math.max(100, rustRound(average * 100)));
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

export interface AttestationInput {
  /** The identity (hex) the reputation is issued to. */
  destination: string;
  /** The issuer's account id of the user (Mostro issuers use the identity hex). */
  subject: string;
  reviews: number;
  /** The native average rating (1..5). */
  averageRating: number;
  /** Any time on the UTC day of the first completed trade; written as that day's start. */
  since: number;
  now: number;
  lifetimeSeconds: number;
}

/** The unsigned attestation (sign with the issuer key, never the node key). Tag order is fixed. */
export function buildReputationAttestation(input: AttestationInput): EventTemplate {
  const since = input.since - (input.since % DAY);
  if (!HEX64.test(input.destination)) throw new ProtocolError('invalid_value', 'destination', 'expected lowercase hex');
  if (!SUBJECT.test(input.subject))
    throw new ProtocolError('invalid_value', 'subject', 'expected 1-64 of [A-Za-z0-9_-]');
  if (!Number.isSafeInteger(input.reviews) || input.reviews < ATTESTATION_MIN_REVIEWS) {
    throw new ProtocolError('invalid_value', 'reviews', `expected an integer ≥ ${ATTESTATION_MIN_REVIEWS}`);
  }
  if (since < ATTESTATION_MIN_SINCE || since > input.now)
    throw new ProtocolError('invalid_value', 'since', 'out of range');
  if (!Number.isSafeInteger(input.lifetimeSeconds) || input.lifetimeSeconds < 1) {
    throw new ProtocolError('invalid_value', 'lifetimeSeconds', 'expected a positive integer');
  }
  return {
    kind: REPUTATION_ATTESTATION_KIND,
    created_at: input.now,
    content: '',
    tags: [
      ['p', input.destination],
      ['subject', input.subject],
      ['reviews', String(input.reviews)],
      ['rating', attestationRating(input.averageRating)],
      ['since', String(since)],
      ['expiration', String(input.now + input.lifetimeSeconds)],
      ['z', 'reputation-attestation'],
    ],
  };
}

export interface ReputationAttestation {
  id: string;
  /** The issuer key that signed it. */
  issuer: string;
  destination: string;
  subject: string;
  reviews: number;
  /** rating × 100, exact (the tag is `d.dd`). */
  ratingHundredths: number;
  since: number;
  createdAt: number;
  expiration: number;
  event: NostrEvent;
}

export type AttestationVerdict =
  | { ok: true; attestation: ReputationAttestation }
  | { ok: false; reason: 'invalid_reputation_attestation' | 'expired_reputation_attestation'; detail: string };

export interface AttestationCheck {
  now: number;
  /** The importer's `max_lifetime_seconds`. */
  maxLifetimeSeconds: number;
  secp?: SecpBackend;
}

/** Exactly the named tags, each once, nothing else; values by name. */
function exactTags(tags: string[][], names: readonly string[]): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const tag of tags) {
    const [name, value, ...rest] = tag;
    if (name === undefined || !names.includes(name)) return `unexpected tag ${JSON.stringify(name)}`;
    if (value === undefined || rest.length > 0) return `tag ${name} must have exactly one value`;
    if (out.has(name)) return `tag ${name} repeated`;
    out.set(name, value);
  }
  const missing = names.find((n) => !out.has(n));
  return missing === undefined ? out : `missing tag ${missing}`;
}

function readSigned(json: string, z: string, names: readonly string[], secp?: SecpBackend) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return 'not JSON';
  }
  const event = readNostrEvent(parsed);
  if (!event) return 'not a Nostr event';
  if (event.kind !== REPUTATION_ATTESTATION_KIND) return `kind ${event.kind}`;
  if (!verifyEventSignature(event, secp)) return 'bad signature';
  if (event.content !== '') return 'content must be empty';
  const tags = exactTags(event.tags, names);
  if (typeof tags === 'string') return tags;
  if (tags.get('z') !== z) return `z must be ${z}`;
  return { event, tags };
}

const ATTESTATION_TAGS = ['p', 'subject', 'reviews', 'rating', 'since', 'expiration', 'z'] as const;

/** Parses and checks an attestation (JSON text of the event) against every rule of §4.4. */
export function readReputationAttestation(json: string, check: AttestationCheck): AttestationVerdict {
  const invalid = (detail: string): AttestationVerdict => ({
    ok: false,
    reason: 'invalid_reputation_attestation',
    detail,
  });
  const read = readSigned(json, 'reputation-attestation', ATTESTATION_TAGS, check.secp);
  if (typeof read === 'string') return invalid(read);
  const { event, tags } = read;
  const t = (name: string) => tags.get(name) as string;
  if (!HEX64.test(t('p'))) return invalid('p must be lowercase hex');
  if (!SUBJECT.test(t('subject'))) return invalid('bad subject');
  for (const name of ['reviews', 'since', 'expiration']) {
    if (!DECIMAL.test(t(name)) || !Number.isSafeInteger(Number(t(name)))) return invalid(`${name} must be a decimal`);
  }
  const reviews = Number(t('reviews'));
  const since = Number(t('since'));
  const expiration = Number(t('expiration'));
  if (reviews < ATTESTATION_MIN_REVIEWS) return invalid(`fewer than ${ATTESTATION_MIN_REVIEWS} reviews`);
  if (!RATING.test(t('rating'))) return invalid('rating must be d.dd');
  const ratingHundredths = Number(t('rating').replace('.', ''));
  if (ratingHundredths < 100 || ratingHundredths > 500) return invalid('rating out of 1.00-5.00');
  if (since % DAY !== 0 || since < ATTESTATION_MIN_SINCE || since > event.created_at) return invalid('bad since');
  if (expiration <= event.created_at) return invalid('expiration not after created_at');
  if (expiration - event.created_at > check.maxLifetimeSeconds) return invalid('lifetime above the cap');
  if (event.created_at > check.now + ATTESTATION_CLOCK_SKEW) return invalid('created in the future');
  if (check.now > expiration + ATTESTATION_CLOCK_SKEW) {
    return { ok: false, reason: 'expired_reputation_attestation', detail: 'expired' };
  }
  return {
    ok: true,
    attestation: {
      id: event.id,
      issuer: event.pubkey,
      destination: t('p'),
      subject: t('subject'),
      reviews,
      ratingHundredths,
      since,
      createdAt: event.created_at,
      expiration,
      event,
    },
  };
}

/** The unsigned rebind authorisation, signed by the identity the export is bound to now. */
export function buildReputationRebind(input: {
  newIdentity: string;
  issuerKey: string;
  now: number;
  lifetimeSeconds: number;
}): EventTemplate {
  if (!HEX64.test(input.newIdentity) || !HEX64.test(input.issuerKey)) {
    throw new ProtocolError('invalid_value', 'newIdentity', 'expected lowercase hex keys');
  }
  if (input.lifetimeSeconds < 1 || input.lifetimeSeconds > REBIND_MAX_LIFETIME) {
    throw new ProtocolError('invalid_value', 'lifetimeSeconds', `expected 1..${REBIND_MAX_LIFETIME}`);
  }
  return {
    kind: REPUTATION_ATTESTATION_KIND,
    created_at: input.now,
    content: '',
    tags: [
      ['p', input.newIdentity],
      ['issuer', input.issuerKey],
      ['expiration', String(input.now + input.lifetimeSeconds)],
      ['z', 'reputation-rebind'],
    ],
  };
}

export interface RebindCheck {
  now: number;
  /** The identity the export is bound to: the only valid signer. */
  boundIdentity: string;
  /** This issuer's key: a rebind for another issuer is refused. */
  issuerKey: string;
  /** The destination being asked for. */
  destination: string;
  secp?: SecpBackend;
}

/** Checks a rebind authorisation; replay protection (its id, until expiry) is the issuer's store. */
export function readReputationRebind(
  json: string,
  check: RebindCheck,
): { ok: true; id: string; validUntil: number } | { ok: false; detail: string } {
  const read = readSigned(json, 'reputation-rebind', ['p', 'issuer', 'expiration', 'z'], check.secp);
  if (typeof read === 'string') return { ok: false, detail: read };
  const { event, tags } = read;
  if (event.pubkey !== check.boundIdentity) return { ok: false, detail: 'not signed by the bound identity' };
  if (tags.get('issuer') !== check.issuerKey) return { ok: false, detail: 'for another issuer' };
  if (tags.get('p') !== check.destination) return { ok: false, detail: 'for another destination' };
  const expiration = DECIMAL.test(tags.get('expiration') ?? '') ? Number(tags.get('expiration')) : Number.NaN;
  if (!Number.isSafeInteger(expiration) || expiration <= event.created_at)
    return { ok: false, detail: 'bad expiration' };
  if (expiration - event.created_at > REBIND_MAX_LIFETIME) return { ok: false, detail: 'lifetime above an hour' };
  if (event.created_at > check.now + ATTESTATION_CLOCK_SKEW || check.now > expiration) {
    return { ok: false, detail: 'outside its validity' };
  }
  return { ok: true, id: event.id, validUntil: expiration };
}
