// `mostro admin revoke-imports` and `rebind-export` over a real node's admin gRPC, the node offering
// reputation import and export: an import of a compromised issuer key is revoked, an export
// binding moved; the reason and time options are checked before anything is sent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { getPublicKey } from 'nostr-tools/pure';
import { getUser } from '../../daemon/src/db/users.ts';
import { boundAccount, reputationRpcNode, seedImport } from '../../daemon/test/reputation/support.ts';
import { startTestNode, type TestNode } from '../../daemon/test/support/test-node.ts';
import { type CliUser, mostro } from './helpers/cli.ts';

const TOKEN = 'cli-reputation-token-0123456789';
const secret = () => randomBytes(32);
const pub = (sk: Uint8Array) => getPublicKey(sk);

describe('mostro admin revoke-imports / rebind-export', () => {
  const trusted = secret();
  let issuerVar = '';
  let t: TestNode;
  let home: string;
  let operator: CliUser;

  before(async () => {
    const node = reputationRpcNode(TOKEN, pub(trusted));
    issuerVar = node.envVar;
    t = await startTestNode({ settings: node.settings });
    home = mkdtempSync(join(tmpdir(), 'mostro-admin-rep-'));
    process.env.MOSTRO_DATA_DIR = join(home, 'no-node');
    operator = { home, env: { MOSTRO_RPC_URL: t.node.admin.grpc!.url, MOSTRO_RPC_TOKEN: TOKEN } };
  });
  after(async () => {
    await t?.stop();
    rmSync(home, { recursive: true, force: true });
    delete process.env[issuerVar];
  });

  it('revoke-imports reverses the imports of a key', async () => {
    const { db } = t.node.ctx;
    const identity = pub(secret());
    seedImport(t.node.ctx, trusted, identity);
    const revoked = await mostro(operator, ['admin', 'revoke-imports', npubEncode(pub(trusted)), '--reason', 'leak']);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /1 reputation import\(s\) of npub1\w+ revoked/);
    assert.equal(getUser(db, identity)?.total_reviews, 0);
  });

  it('rebind-export moves a binding; --reason is required and --after must be a time', async () => {
    const { db } = t.node.ctx;
    const [from, to] = [pub(secret()), pub(secret())];
    const account = boundAccount(t.node.ctx, from);
    const noReason = await mostro(operator, ['admin', 'rebind-export', account, to]);
    assert.notEqual(noReason.code, 0);
    assert.match(noReason.stderr, /missing --reason/);
    const badAfter = await mostro(operator, ['admin', 'revoke-imports', account, '--after', 'yesterday']);
    assert.notEqual(badAfter.code, 0);
    assert.match(badAfter.stderr, /--after takes a unix time/);

    const moved = await mostro(operator, ['admin', 'rebind-export', account, to, '--reason', 'lost keys', '--json']);
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(moved.json.previous_identity, from);
    assert.equal(getUser(db, account)?.reputation_exported_to, to);
  });
});
