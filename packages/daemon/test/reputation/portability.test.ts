// Reputation export on node A, import on node B (reference-0.20.md §4.4), through the real handlers:
// the attestation carries A's native figures, B merges them once, refuses what it must with the
// spec's cant-do reasons, and the operator can revoke the imports of a compromised key.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { readReputationAttestation, signEvent } from '@mostro/protocol';
import type { UserRow } from '../../src/db/users.ts';
import { getUser } from '../../src/db/users.ts';
import { queuedRatings } from '../../src/publish/rating.ts';
import { reputationOf } from '../../src/publish/reputation.ts';
import { rebindReputationExport, revokeReputationImports } from '../../src/reputation/operator.ts';
import type { Harness } from '../app/harness.ts';
import {
  exportTo,
  FIRST_TRADE_DAY,
  history,
  importerNode,
  importOn,
  issuerKey,
  issuerNode,
  keyedUser,
  rebindFrom,
} from './support.ts';

const nodes: Harness[] = [];
afterEach(() => {
  for (const h of nodes.splice(0)) h.close();
});
const track = (h: Harness): Harness => {
  nodes.push(h);
  return h;
};

/** A with an eligible user, B trusting A's key, and the user's identity on B. */
function setup() {
  const issuer = issuerKey();
  const a = track(issuerNode(issuer));
  const b = track(importerNode([issuer.pubkey]));
  const onA = keyedUser(a, 'alice-on-a');
  const onB = keyedUser(b, 'alice-on-b');
  history(a, onA.identity);
  return { issuer, a, b, onA, onB };
}

async function attestationFor(a: Harness, user: Parameters<typeof exportTo>[1], destination: string): Promise<string> {
  const r = await exportTo(a, user, destination);
  assert.ok('json' in r, `export refused: ${'cantDo' in r ? r.cantDo : ''}`);
  return r.json;
}

describe('reputation export (issuer)', () => {
  it('signs the native figures for the destination and binds the account to it', async () => {
    const { issuer, a, onA, onB } = setup();
    const json = await attestationFor(a, onA, onB.identity);
    const verdict = readReputationAttestation(json, { now: a.clock.now(), maxLifetimeSeconds: 604_800 });
    assert.ok(verdict.ok);
    const att = verdict.attestation;
    assert.equal(att.issuer, issuer.pubkey);
    assert.notEqual(att.issuer, a.ctx.nodePubkey);
    assert.equal(att.destination, onB.identity);
    assert.equal(att.subject, onA.identity);
    assert.equal(att.reviews, 5);
    assert.equal(att.ratingHundredths, 440, 'votes 5,4,5,5,3 → 4.40');
    assert.equal(att.since, FIRST_TRADE_DAY);
    assert.equal(att.expiration - att.createdAt, 604_800);
    assert.deepEqual(
      att.event.tags.map((t) => t[0]),
      ['p', 'subject', 'reviews', 'rating', 'since', 'expiration', 'z'],
    );
    assert.equal(getUser(a.db, onA.identity)?.reputation_exported_to, onB.identity);
    // Asking again for the bound destination gives a fresh attestation.
    a.clock.advance(10);
    const again = await attestationFor(a, onA, onB.identity);
    assert.notEqual(JSON.parse(again).id, att.id);
  });

  it('refuses with the spec reasons: not offered, no proof, bad destination, not eligible, bound elsewhere', async () => {
    const { a, onA, onB } = setup();
    const other = keyedUser(a, 'other');

    assert.deepEqual(await exportTo(a, { ...onA, identity: onA.trade, fullPrivacy: true }, onB.identity), {
      cantDo: 'reputation_identity_required',
    });
    assert.deepEqual(await exportTo(a, onA, onB.identity.toUpperCase()), { cantDo: 'invalid_payload' });
    assert.deepEqual(await exportTo(a, onA, 'f'.repeat(64)), { cantDo: 'invalid_payload' }, 'not a curve point');
    history(a, other.identity, 9);
    assert.deepEqual(await exportTo(a, other, onB.identity), { cantDo: 'not_eligible_for_reputation_export' });
    const fewVotes = keyedUser(a, 'few-votes');
    history(a, fewVotes.identity, 10, [5, 5, 5, 5]);
    assert.deepEqual(await exportTo(a, fewVotes, onB.identity), { cantDo: 'not_eligible_for_reputation_export' });
    a.db.prepare('UPDATE users SET is_banned = 1 WHERE pubkey = ?').run(onA.identity);
    assert.deepEqual(await exportTo(a, onA, onB.identity), { cantDo: 'not_eligible_for_reputation_export' });
    a.db.prepare('UPDATE users SET is_banned = 0 WHERE pubkey = ?').run(onA.identity);

    await attestationFor(a, onA, onB.identity);
    assert.deepEqual(await exportTo(a, onA, other.identity), { cantDo: 'reputation_bound_to_other_identity' });

    a.settings.reputation_export.enabled = false;
    assert.deepEqual(await exportTo(a, onA, onB.identity), { cantDo: 'invalid_action' });
  });

  it('a rebind signed by the bound identity moves the binding, once', async () => {
    const { issuer, a, b, onA, onB } = setup();
    await attestationFor(a, onA, onB.identity);
    const next = keyedUser(b, 'alice-next');
    const stranger = keyedUser(b, 'stranger');
    const forged = rebindFrom(stranger, next.identity, issuer, a.clock.now());
    assert.deepEqual(await exportTo(a, onA, next.identity, forged), { cantDo: 'invalid_reputation_rebind' });
    const rebind = rebindFrom(onB, next.identity, issuer, a.clock.now());
    assert.ok('json' in (await exportTo(a, onA, next.identity, rebind)));
    assert.equal(getUser(a.db, onA.identity)?.reputation_exported_to, next.identity);
    // Moving back with the same authorisation is a replay (and names another destination anyway).
    const back = rebindFrom(next, onB.identity, issuer, a.clock.now());
    assert.ok('json' in (await exportTo(a, onA, onB.identity, back)));
    assert.deepEqual(await exportTo(a, onA, next.identity, rebind), { cantDo: 'invalid_reputation_rebind' });
  });
});

describe('reputation import (destination)', () => {
  it('exported on A, imported on B: merged once, confirmed, 38384 queued, user-info shows it', async () => {
    const { a, b, onA, onB } = setup();
    const json = await attestationFor(a, onA, onB.identity);
    assert.equal(await importOn(b, onB, json), 'imported');
    const user = getUser(b.db, onB.identity) as UserRow;
    assert.equal(user.total_reviews, 5);
    assert.equal(user.seeded_reviews, 5);
    assert.equal(user.mean_rating, 4.4);
    assert.deepEqual([user.min_rating, user.max_rating, user.last_rating], [4, 4, 4]);
    assert.equal(user.created_at, FIRST_TRADE_DAY);
    assert.deepEqual(queuedRatings(b.db), [{ d: onB.trade, rated: onB.identity }]);

    const shown = reputationOf(b.db, onB.identity, b.clock.now());
    assert.deepEqual([shown.rating, shown.reviews, shown.since], [4.4, 5, FIRST_TRADE_DAY], 'as user-info shows it');

    // The very same attestation again: answered as a success, not merged a second time.
    assert.equal(await importOn(b, onB, json), 'imported');
    assert.equal(getUser(b.db, onB.identity)?.total_reviews, 5);
    // Even once expired, the attestation this identity imported is a success replay.
    b.clock.advance(604_800 + 301);
    assert.equal(await importOn(b, onB, json), 'imported');
    assert.equal(getUser(b.db, onB.identity)?.total_reviews, 5);
    b.clock.advance(-(604_800 + 301));
    // A fresh attestation of the same account: refused.
    a.clock.advance(5);
    const fresh = await attestationFor(a, onA, onB.identity);
    assert.equal(await importOn(b, onB, fresh), 'reputation_already_imported');
    assert.equal(getUser(b.db, onB.identity)?.total_reviews, 5);
  });

  it('merges into native ratings: (total·n + rating·reviews)/(n + reviews)', async () => {
    const { a, b, onA, onB } = setup();
    history(b, onB.identity, 0, [5, 5]);
    await importOn(b, onB, await attestationFor(a, onA, onB.identity));
    const user = getUser(b.db, onB.identity) as UserRow;
    assert.equal(user.total_reviews, 7);
    assert.ok(Math.abs(user.mean_rating - (5 * 2 + 4.4 * 5) / 7) < 1e-9);
    assert.deepEqual([user.min_rating, user.max_rating, user.last_rating], [5, 5, 5], 'kept where set');
  });

  it('refuses forged, expired, foreign-issuer, misaddressed and proofless attestations', async () => {
    const { a, b, onA, onB } = setup();
    const json = await attestationFor(a, onA, onB.identity);

    const tampered = JSON.parse(json) as { tags: string[][] };
    tampered.tags[3] = ['rating', '5.00'];
    assert.equal(await importOn(b, onB, JSON.stringify(tampered)), 'invalid_reputation_attestation');
    assert.equal(await importOn(b, onB, 'not json'), 'invalid_reputation_attestation');

    const impostor = issuerKey();
    const foreign = signEvent(JSON.parse(json), impostor.secretKey);
    assert.equal(await importOn(b, onB, JSON.stringify(foreign)), 'untrusted_reputation_issuer');

    const stranger = keyedUser(b, 'stranger');
    assert.equal(await importOn(b, stranger, json), 'reputation_identity_mismatch');
    assert.equal(
      await importOn(b, { ...onB, identity: onB.trade, fullPrivacy: true }, json),
      'reputation_identity_required',
    );

    b.clock.advance(604_800 + 301);
    assert.equal(await importOn(b, onB, json), 'expired_reputation_attestation');
    assert.equal(getUser(b.db, onB.identity), undefined, 'nothing was recorded');

    b.settings.reputation_import.enabled = false;
    assert.equal(await importOn(b, onB, json), 'invalid_action');
  });

  it('a node never imports its own attestations', async () => {
    const { issuer, a, onA, onB } = setup();
    a.settings.reputation_import.enabled = true;
    a.settings.reputation_import.issuers.push({ name: 'me', keys: [issuer.pubkey] });
    const json = await attestationFor(a, onA, onB.identity);
    assert.equal(await importOn(a, onB, json), 'untrusted_reputation_issuer');
  });
});

describe('revoking an issuer key', () => {
  it('reverses its imports exactly, republishes the 38384, and lets the user import again', async () => {
    const { issuer, a, b, onA, onB } = setup();
    history(b, onB.identity, 0, [2]);
    const before = getUser(b.db, onB.identity) as UserRow;
    await importOn(b, onB, await attestationFor(a, onA, onB.identity));
    history(b, onB.identity, 0, [5]); // a native vote after the import survives the revocation

    const published: { d: string; reviews: number }[] = [];
    const deps = {
      db: b.db,
      clock: b.clock,
      publishRating: async (d: string, user: UserRow) => {
        published.push({ d, reviews: user.total_reviews });
      },
      log: { warn() {} },
    };
    assert.deepEqual(await revokeReputationImports(deps, 'nonsense'), {
      ok: false,
      error: 'issuer_key: expected a hex or npub key',
    });
    assert.deepEqual(await revokeReputationImports(deps, issuer.pubkey, b.clock.now() + 1), {
      ok: true,
      value: { revoked: 0 },
    });
    assert.deepEqual(await revokeReputationImports(deps, issuer.pubkey, null, 'key leaked'), {
      ok: true,
      value: { revoked: 1 },
    });
    const after = getUser(b.db, onB.identity) as UserRow;
    assert.equal(after.total_reviews, 2);
    assert.equal(after.seeded_reviews, 0);
    assert.ok(Math.abs(after.mean_rating - 3.5) < 1e-9);
    assert.equal(after.created_at, before.created_at);
    assert.deepEqual(published, [{ d: onB.trade, reviews: 2 }]);

    a.clock.advance(5);
    b.rotate(onB);
    assert.equal(await importOn(b, onB, await attestationFor(a, onA, onB.identity)), 'imported');
    assert.equal(getUser(b.db, onB.identity)?.total_reviews, 7);
  });

  it('the operator rebind moves an export binding and says from where', () => {
    const issuer = issuerKey();
    const a = track(issuerNode(issuer));
    const user = keyedUser(a, 'u');
    history(a, user.identity, 1, [5]);
    const deps = { db: a.db, clock: a.clock, log: { warn() {} } };
    const target = keyedUser(a, 't').identity;
    assert.deepEqual(rebindReputationExport(deps, user.identity, target, ''), { ok: false, error: 'reason: required' });
    assert.deepEqual(rebindReputationExport(deps, user.identity, target, 'lost keys'), {
      ok: true,
      value: { previousIdentity: null },
    });
    assert.equal(getUser(a.db, user.identity)?.reputation_exported_to, target);
  });
});
