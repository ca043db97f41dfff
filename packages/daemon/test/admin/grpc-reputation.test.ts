// The reputation RPCs of the admin gRPC on a node that offers both features: RevokeReputationImports
// reverses the imports of an issuer key (npub or hex, optionally only those recorded after a time)
// and RebindReputationExport moves an export binding, both behind loopback and the token.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { buildReputationAttestation, signEvent } from '@mostro/protocol';
import { npubEncode } from 'nostr-tools/nip19';
import { getPublicKey } from 'nostr-tools/pure';
import { bindReputationExport } from '../../src/db/reputation.ts';
import { getOrCreateUser, getUser } from '../../src/db/users.ts';
import { importReputation } from '../../src/reputation/importer.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { adminClient, type Client, call, refusedWith } from './support.ts';

const TOKEN = 'test-token-reputation-0123456789';
const hex = () => randomBytes(32).toString('hex');
const pub = (secret: string) => getPublicKey(Buffer.from(secret, 'hex'));

describe('admin gRPC: reputation', () => {
  const trusted = hex();
  const issuerVar = `MOSTRO_TEST_ISSUER_${randomBytes(4).toString('hex')}`;
  let t: TestNode;
  let client: Client;

  before(async () => {
    process.env[issuerVar] = hex();
    t = await startTestNode({
      settings: {
        'rpc.enabled': true,
        'rpc.port': 0,
        'rpc.auth_token': TOKEN,
        'reputation_import.enabled': true,
        'reputation_import.issuers': [{ name: 'other-node', keys: [pub(trusted)] }],
        'reputation_export.enabled': true,
        'reputation_export.issuer_key_env': issuerVar,
      },
    });
    client = adminClient(t.node.admin.grpc!.port);
  });
  after(async () => {
    client?.close();
    await t?.stop();
    delete process.env[issuerVar];
  });

  it('RevokeReputationImports reverses the imports of that key', async () => {
    const { db, clock, settings } = t.node.ctx;
    const identity = pub(hex());
    const now = clock.now();
    const attestation = signEvent(
      buildReputationAttestation({
        destination: identity,
        subject: 'acct-1',
        reviews: 20,
        averageRating: 4.5,
        since: 1_696_204_800,
        now,
        lifetimeSeconds: 3600,
      }),
      Buffer.from(trusted, 'hex'),
    );
    const imported = importReputation(db, settings.reputation_import, {
      json: JSON.stringify(attestation),
      identity,
      tradePubkey: pub(hex()),
      now,
      ownIssuerKey: null,
    });
    assert.ok(imported.ok);
    assert.equal(getUser(db, identity)?.total_reviews, 20);

    await assert.rejects(
      call(client, 'RevokeReputationImports', { issuer_key: pub(trusted) }),
      refusedWith(status.PERMISSION_DENIED),
    );
    assert.deepEqual(await call(client, 'RevokeReputationImports', { issuer_key: 'nonsense' }, TOKEN), {
      success: false,
      error_message: 'issuer_key: expected a hex or npub key',
      revoked: 0,
    });
    assert.deepEqual(
      await call(
        client,
        'RevokeReputationImports',
        { issuer_key: npubEncode(pub(trusted)), imported_after: now + 60 },
        TOKEN,
      ),
      { success: true, revoked: 0 },
      'imported before the cut-off: kept',
    );
    assert.deepEqual(
      await call(client, 'RevokeReputationImports', { issuer_key: npubEncode(pub(trusted)), reason: 'leaked' }, TOKEN),
      { success: true, revoked: 1 },
    );
    assert.equal(getUser(db, identity)?.total_reviews, 0);
  });

  it('RebindReputationExport moves the binding and names the previous identity', async () => {
    const { db, clock } = t.node.ctx;
    const account = pub(hex());
    const [oldDestination, newDestination] = [pub(hex()), pub(hex())];
    getOrCreateUser(db, account, clock.now());
    assert.ok(bindReputationExport(db, account, oldDestination, clock.now()));
    const request = { identity: account, new_identity: npubEncode(newDestination) };
    assert.deepEqual(await call(client, 'RebindReputationExport', { ...request, reason: '' }, TOKEN), {
      success: false,
      error_message: 'reason: required',
    });
    assert.deepEqual(await call(client, 'RebindReputationExport', { ...request, reason: 'lost keys' }, TOKEN), {
      success: true,
      previous_identity: oldDestination,
    });
    assert.equal(getUser(db, account)?.reputation_exported_to, newDestination);
  });
});
