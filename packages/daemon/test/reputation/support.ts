// Two nodes for reputation portability tests: A issues attestations of its users' native
// reputation, B trusts A's issuer key and imports them. Both are the handler harness (real SQLite,
// real handlers); the history that makes an identity eligible on A is written to A's database.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildReputationAttestation, buildReputationRebind, signEvent } from '@mostro/protocol';
import { getPublicKey } from 'nostr-tools/pure';
import type { AppContext } from '../../src/app/context.ts';
import { insertOrder } from '../../src/db/orders.ts';
import { bindReputationExport } from '../../src/db/reputation.ts';
import { getOrCreateUser, recordRating } from '../../src/db/users.ts';
import { importReputation } from '../../src/reputation/importer.ts';
import { type IssuerKey, readIssuerKey } from '../../src/reputation/issuer.ts';
import { Harness, type User } from '../app/harness.ts';

/** 2023-10-02, a day start: the first trade of the eligible identity. */
export const FIRST_TRADE_DAY = 1_696_204_800;
export const VOTES = [5, 4, 5, 5, 3];

export function issuerKey(): IssuerKey {
  const key = readIssuerKey(randomBytes(32).toString('hex'));
  assert.ok(key);
  return key;
}

/** Node A: export on, with `issuer` loaded. */
export function issuerNode(issuer: IssuerKey, lifetime = 604_800): Harness {
  const h = new Harness({ settings: { reputation_export: { enabled: true, lifetime_seconds: lifetime } } });
  h.ctx.reputationIssuer = issuer;
  return h;
}

/** Node B: import on, trusting `keys` under the name `node-a`. */
export function importerNode(keys: string[], extra: { name: string; keys: string[] }[] = []): Harness {
  return new Harness({
    settings: { reputation_import: { enabled: true, issuers: [{ name: 'node-a', keys }, ...extra] } },
  });
}

/** A user whose identity and trade keys are real keys (attestations name them). */
export interface KeyedUser extends User {
  identitySecret: Uint8Array;
}

export function keyedUser(h: Harness, name: string): KeyedUser {
  const secret = randomBytes(32);
  const user = h.user(name);
  return { ...user, identity: getPublicKey(secret), identitySecret: secret };
}

/** `trades` completed trades and the votes on `h` for `identity`, the first taken on FIRST_TRADE_DAY. */
export function history(h: Harness, identity: string, trades = 10, votes = VOTES): void {
  for (let i = 0; i < trades; i++) {
    insertOrder(h.db, {
      id: randomUUID(),
      kind: 'sell',
      event_id: randomBytes(32).toString('hex'),
      creator_pubkey: randomBytes(32).toString('hex'),
      status: 'success',
      payment_method: 'sepa',
      amount: 10_000,
      fiat_code: 'EUR',
      fiat_amount: 10,
      created_at: FIRST_TRADE_DAY - 3600,
      expires_at: FIRST_TRADE_DAY + 86_400,
      taken_at: FIRST_TRADE_DAY + 600 + i,
      master_seller_pubkey: identity,
    });
  }
  for (const vote of votes) recordRating(h.db, identity, vote, h.clock.now());
}

/** A signed rebind authorisation from the identity the export is bound to now. */
export function rebindFrom(bound: KeyedUser, newIdentity: string, issuer: IssuerKey, now: number): string {
  return JSON.stringify(
    signEvent(
      buildReputationRebind({ newIdentity, issuerKey: issuer.pubkey, now, lifetimeSeconds: 600 }),
      bound.identitySecret,
    ),
  );
}

/** Asks `node` to export `user`'s reputation to `destination`; the attestation JSON or the cant-do reason. */
export async function exportTo(
  node: Harness,
  user: User,
  destination: string,
  rebind: string | null = null,
): Promise<{ json: string } | { cantDo: string | null }> {
  const outcome = await node.send(user, 'export-reputation', {
    payload: { reputation_export_request: { destination, rebind } },
  });
  if (outcome === 'cant-do') return { cantDo: node.cantDo(user) };
  assert.equal(outcome, 'handled');
  const reply = node.last(user, 'reputation-exported');
  assert.ok(reply.payload && 'reputation_attestation' in reply.payload);
  assert.equal(reply.id, undefined);
  return { json: reply.payload.reputation_attestation };
}

export async function importOn(node: Harness, user: User, json: string): Promise<string | null> {
  const outcome = await node.send(user, 'import-reputation', { payload: { reputation_attestation: json } });
  if (outcome === 'cant-do') return node.cantDo(user);
  assert.equal(outcome, 'handled');
  assert.equal(node.last(user, 'reputation-imported').payload, null);
  return 'imported';
}

/** Records on `db` an import of 20 ratings (4.5) for `identity`, signed by `issuerSecret`. */
export function seedImport(
  h: Pick<AppContext, 'db' | 'clock' | 'settings'>,
  issuerSecret: Uint8Array,
  identity: string,
): void {
  const now = h.clock.now();
  const json = JSON.stringify(
    signEvent(
      buildReputationAttestation({
        destination: identity,
        subject: `acct-${identity.slice(0, 8)}`,
        reviews: 20,
        averageRating: 4.5,
        since: FIRST_TRADE_DAY,
        now,
        lifetimeSeconds: 3600,
      }),
      issuerSecret,
    ),
  );
  const r = importReputation(h.db, h.settings.reputation_import, {
    json,
    identity,
    tradePubkey: randomBytes(32).toString('hex'),
    now,
    ownIssuerKey: null,
  });
  assert.ok(r.ok, r.ok ? '' : r.detail);
}

/** A users row for a fresh account whose export is bound to `destination`; returns the account. */
export function boundAccount(h: Pick<AppContext, 'db' | 'clock'>, destination: string): string {
  const account = getPublicKey(randomBytes(32));
  getOrCreateUser(h.db, account, h.clock.now());
  assert.ok(bindReputationExport(h.db, account, destination, h.clock.now()));
  return account;
}

/**
 * Test-node settings for a node with its admin gRPC (behind `token`) that imports from `trustedKey`
 * and exports with a fresh issuer key, put in the environment variable it returns (delete it after).
 */
export function reputationRpcNode(
  token: string,
  trustedKey: string,
): { settings: Record<string, unknown>; envVar: string } {
  const envVar = `MOSTRO_TEST_ISSUER_${randomBytes(4).toString('hex')}`;
  process.env[envVar] = randomBytes(32).toString('hex');
  return {
    envVar,
    settings: {
      'rpc.enabled': true,
      'rpc.port': 0,
      'rpc.auth_token': token,
      'reputation_import.enabled': true,
      'reputation_import.issuers': [{ name: 'other-node', keys: [trustedKey] }],
      'reputation_export.enabled': true,
      'reputation_export.issuer_key_env': envVar,
    },
  };
}
