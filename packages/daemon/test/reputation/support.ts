// Two nodes for reputation portability tests: A issues attestations of its users' native
// reputation, B trusts A's issuer key and imports them. Both are the handler harness (real SQLite,
// real handlers); the history that makes an identity eligible on A is written to A's database.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildReputationRebind, signEvent } from '@mostro/protocol';
import { getPublicKey } from 'nostr-tools/pure';
import { insertOrder } from '../../src/db/orders.ts';
import { recordRating } from '../../src/db/users.ts';
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
