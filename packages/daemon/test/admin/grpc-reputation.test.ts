// The reputation RPCs of the admin gRPC on a node that offers both features: RevokeReputationImports
// reverses the imports of an issuer key (npub or hex, optionally only those recorded after a time)
// and RebindReputationExport moves an export binding, both behind loopback and the token.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { npubEncode } from 'nostr-tools/nip19';
import { getPublicKey } from 'nostr-tools/pure';
import { getUser } from '../../src/db/users.ts';
import { boundAccount, reputationRpcNode, seedImport } from '../reputation/support.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { adminClient, type Client, call, refusedWith } from './support.ts';

const TOKEN = 'test-token-reputation-0123456789';
const hex = () => randomBytes(32).toString('hex');
const pub = (secret: string) => getPublicKey(Buffer.from(secret, 'hex'));

describe('admin gRPC: reputation', () => {
  const trusted = hex();
  let issuerVar = '';
  let t: TestNode;
  let client: Client;

  before(async () => {
    const node = reputationRpcNode(TOKEN, pub(trusted));
    issuerVar = node.envVar;
    t = await startTestNode({ settings: node.settings });
    client = adminClient(t.node.admin.grpc!.port);
  });
  after(async () => {
    client?.close();
    await t?.stop();
    delete process.env[issuerVar];
  });

  it('RevokeReputationImports reverses the imports of that key', async () => {
    const { db, clock } = t.node.ctx;
    const identity = pub(hex());
    const now = clock.now();
    seedImport(t.node.ctx, Buffer.from(trusted, 'hex'), identity);
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
    const { db } = t.node.ctx;
    const [oldDestination, newDestination] = [pub(hex()), pub(hex())];
    const account = boundAccount(t.node.ctx, oldDestination);
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
