// Kind 38388 attestations and rebind authorisations (reference-0.20.md §4.4): every rule the
// importer applies, each shown to refuse, and the exact tag order of the issuer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import {
  attestationRating,
  buildReputationAttestation,
  buildReputationRebind,
  type EventTemplate,
  readReputationAttestation,
  readReputationRebind,
  signEvent,
} from '../../src/index.ts';

const issuerSk = generateSecretKey();
const identitySk = generateSecretKey();
const identity = getPublicKey(identitySk);
const destination = getPublicKey(generateSecretKey());
const NOW = 1_790_000_000;
const WEEK = 604_800;
const SINCE = 1_696_204_800;

const template = (over: Partial<Parameters<typeof buildReputationAttestation>[0]> = {}) =>
  buildReputationAttestation({
    destination,
    subject: identity,
    reviews: 214,
    averageRating: 4.8712,
    since: SINCE + 5000,
    now: NOW,
    lifetimeSeconds: WEEK,
    ...over,
  });
const sign = (t: EventTemplate, sk = issuerSk) => JSON.stringify(signEvent(t, sk));
const check = (json: string, now = NOW, maxLifetimeSeconds = WEEK) =>
  readReputationAttestation(json, { now, maxLifetimeSeconds });
const withTags = (f: (tags: string[][]) => string[][]) => {
  const t = template();
  return sign({ ...t, tags: f(t.tags.map((x) => [...x])) });
};
const setTag = (name: string, value: string) =>
  withTags((tags) => tags.map((t) => (t[0] === name ? [name, value] : t)));

describe('reputation attestation, kind 38388', () => {
  it('issuer tags in the spec order; since day-truncated; rating d.dd', () => {
    const t = template();
    assert.equal(t.kind, 38388);
    assert.equal(t.content, '');
    assert.deepEqual(t.tags, [
      ['p', destination],
      ['subject', identity],
      ['reviews', '214'],
      ['rating', '4.87'],
      ['since', String(SINCE)],
      ['expiration', String(NOW + WEEK)],
      ['z', 'reputation-attestation'],
    ]);
  });

  it('rating: round half away in f64, clamped to 1.00..5.00 (4.895 → 4.89 as the reference)', () => {
    assert.equal(attestationRating(4.895), '4.89');
    assert.equal(attestationRating(4.875), '4.88');
    assert.equal(attestationRating(0.2), '1.00');
    assert.equal(attestationRating(7), '5.00');
    assert.equal(attestationRating(3), '3.00');
    assert.equal(attestationRating(2.05), '2.05');
  });

  it('a good attestation reads back with the issuer key and exact hundredths', () => {
    const v = check(sign(template()));
    assert.ok(v.ok);
    if (!v.ok) return;
    assert.equal(v.attestation.issuer, getPublicKey(issuerSk));
    assert.equal(v.attestation.destination, destination);
    assert.equal(v.attestation.reviews, 214);
    assert.equal(v.attestation.ratingHundredths, 487);
    assert.equal(v.attestation.since, SINCE);
    assert.equal(v.attestation.expiration, NOW + WEEK);
  });

  const invalid: [string, string][] = [
    ['not JSON', '{'],
    ['not an event', '{"kind":38388}'],
    ['wrong kind', sign({ ...template(), kind: 38383 })],
    ['content', sign({ ...template(), content: 'x' })],
    ['uppercase p', setTag('p', destination.toUpperCase())],
    ['subject chars', setTag('subject', 'a b')],
    ['subject too long', setTag('subject', 'a'.repeat(65))],
    ['reviews below 5', setTag('reviews', '4')],
    ['reviews leading zero', setTag('reviews', '0214')],
    ['reviews sign', setTag('reviews', '+214')],
    ['rating form', setTag('rating', '4.8')],
    ['rating above 5', setTag('rating', '5.01')],
    ['rating below 1', setTag('rating', '0.99')],
    ['since not a day start', setTag('since', String(SINCE + 1))],
    ['since before 2020', setTag('since', String(1_577_836_800 - 86_400))],
    ['since after created_at', setTag('since', String(NOW - (NOW % 86_400) + 86_400))],
    ['expiration not after created_at', setTag('expiration', String(NOW))],
    ['lifetime above the cap', setTag('expiration', String(NOW + WEEK + 1))],
    ['duplicate tag', withTags((tags) => [...tags, ['reviews', '214']])],
    ['extra tag', withTags((tags) => [...tags, ['x', '1']])],
    ['missing tag', withTags((tags) => tags.filter((t) => t[0] !== 'since'))],
    ['wrong z', setTag('z', 'reputation-rebind')],
  ];
  for (const [name, json] of invalid) {
    it(`invalid_reputation_attestation: ${name}`, () => {
      const v = check(json);
      assert.equal(v.ok, false);
      if (!v.ok) assert.equal(v.reason, 'invalid_reputation_attestation');
    });
  }

  it('a tampered signature or body is invalid', () => {
    const event = JSON.parse(sign(template()));
    event.tags[2] = ['reviews', '999'];
    const v = check(JSON.stringify(event));
    assert.ok(!v.ok && v.reason === 'invalid_reputation_attestation');
  });

  it('clock: created more than 300 s ahead is invalid; 300 s past expiration is expired', () => {
    const json = sign(template());
    assert.ok(check(json, NOW - 300).ok);
    const early = check(json, NOW - 301);
    assert.ok(!early.ok && early.reason === 'invalid_reputation_attestation');
    assert.ok(check(json, NOW + WEEK + 300).ok);
    const late = check(json, NOW + WEEK + 301);
    assert.ok(!late.ok && late.reason === 'expired_reputation_attestation');
  });

  it('the importer cap applies (max_lifetime_seconds)', () => {
    const v = check(sign(template()), NOW, WEEK - 1);
    assert.ok(!v.ok && v.reason === 'invalid_reputation_attestation');
  });
});

describe('rebind authorisation', () => {
  const issuerKey = getPublicKey(issuerSk);
  const rebind = (over: Partial<Parameters<typeof buildReputationRebind>[0]> = {}, sk = identitySk) =>
    sign(buildReputationRebind({ newIdentity: destination, issuerKey, now: NOW, lifetimeSeconds: 600, ...over }), sk);
  const checkRebind = (json: string, now = NOW) =>
    readReputationRebind(json, { now, boundIdentity: identity, issuerKey, destination });

  it('tags p, issuer, expiration, z=reputation-rebind; accepted when the bound identity signed it', () => {
    const t = buildReputationRebind({ newIdentity: destination, issuerKey, now: NOW, lifetimeSeconds: 600 });
    assert.deepEqual(
      t.tags.map((x) => x[0]),
      ['p', 'issuer', 'expiration', 'z'],
    );
    const v = checkRebind(rebind());
    assert.ok(v.ok);
    if (v.ok) assert.equal(v.validUntil, NOW + 600);
  });

  it('refused: another signer, another issuer, another destination, expired, lifetime above an hour', () => {
    assert.equal(checkRebind(rebind({}, generateSecretKey())).ok, false);
    assert.equal(checkRebind(rebind({ issuerKey: destination })).ok, false);
    assert.equal(checkRebind(rebind({ newIdentity: identity })).ok, false);
    assert.equal(checkRebind(rebind(), NOW + 601).ok, false);
    assert.throws(() =>
      buildReputationRebind({ newIdentity: destination, issuerKey, now: NOW, lifetimeSeconds: 3601 }),
    );
    const long = signEvent(
      {
        kind: 38388,
        created_at: NOW,
        content: '',
        tags: [
          ['p', destination],
          ['issuer', issuerKey],
          ['expiration', String(NOW + 3601)],
          ['z', 'reputation-rebind'],
        ],
      },
      identitySk,
    );
    assert.equal(checkRebind(JSON.stringify(long)).ok, false);
    assert.equal(checkRebind(sign(template())).ok, false);
  });
});
