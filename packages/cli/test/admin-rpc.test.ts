// `mostro admin` over a real node's admin gRPC: version, maintenance on/status/off (and the node
// refusing new orders meanwhile), add-solver and a pre-trade cancel acting as the node key, the
// token rules (missing → refused; never in clear text to another machine), an absent endpoint.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { getOrder } from '../../daemon/src/db/orders.ts';
import { getMaintenance } from '../../daemon/src/health/maintenance.ts';
import { fixedOrder, testUsers } from '../../daemon/test/support/orders.ts';
import { eventually } from '../../daemon/test/support/relay-query.ts';
import { startTestNode, type TestNode } from '../../daemon/test/support/test-node.ts';
import { type CliUser, mostro } from './helpers/cli.ts';

const TOKEN = 'cli-admin-token-0123456789';

describe('mostro admin over the admin gRPC', () => {
  let t: TestNode;
  let home: string;
  let operator: CliUser;
  let url: string;
  const users = testUsers(() => t);

  before(async () => {
    t = await startTestNode({ settings: { 'rpc.enabled': true, 'rpc.port': 0, 'rpc.auth_token': TOKEN } });
    url = t.node.admin.grpc!.url;
    home = mkdtempSync(join(tmpdir(), 'mostro-admin-'));
    // No local node unless a test writes one (the machine's own ~/.mostrod must not leak in).
    process.env.MOSTRO_DATA_DIR = join(home, 'no-node');
    operator = { home, env: { MOSTRO_RPC_URL: url, MOSTRO_RPC_TOKEN: TOKEN } };
  });
  after(async () => {
    users.closeAll();
    await t?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('version, and maintenance on → status → off, refusing new orders while on', async () => {
    const version = await mostro(operator, ['admin', 'version', '--json']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.json.version, /^\d+\.\d+\.\d+/);

    const on = await mostro(operator, ['admin', 'maintenance', 'on', '--reason', 'LND upgrade']);
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stdout, /maintenance ON \(LND upgrade\)/);
    assert.match(on.stdout, /drained: nothing in escrow or in flight/);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, true);

    const maker = await users.user();
    const { index } = maker.next();
    await maker.send(index, { action: 'new-order', trade_index: index, payload: { order: fixedOrder('sell') } });
    assert.deepEqual((await maker.waitFor('cant-do', 15_000)).message.kind.payload, { cant_do: 'maintenance_mode' });

    // A user sees it in the node's info (the info event was republished at once).
    const user: CliUser = { home: join(home, 'user') };
    assert.equal((await mostro(user, ['init'])).code, 0);
    const where = ['--node', t.node.npub, '--relay', t.node.relays[0] as string];
    const node = await eventually(async () => {
      const r = await mostro(user, ['node', ...where]);
      return /MAINTENANCE/.test(r.stdout) ? r : undefined;
    }, 30_000);
    assert.match(node.stdout, /MAINTENANCE {4}the node takes no new orders/);

    const status = await mostro(operator, ['admin', 'maintenance', 'status', '--json']);
    assert.equal(status.json.enabled, true);
    assert.equal(status.json.reason, 'LND upgrade');
    assert.equal(status.json.counters.escrowed_orders, 0);

    const off = await mostro(operator, ['admin', 'maintenance', 'off']);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /maintenance off/);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false);
    // …and its end, once the republished info event is there.
    await eventually(async () => {
      const r = await mostro(user, ['node', ...where, '--json']);
      return r.json?.maintenance === false ? true : undefined;
    }, 30_000);
  });

  it('add-solver and cancel --pretrade-only act as the node key', async () => {
    const key = getPublicKey(generateSecretKey());
    const added = await mostro(operator, ['admin', 'add-solver', `${npubEncode(key)}:read`]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /added/);

    const maker = await users.user();
    const { index } = maker.next();
    await maker.send(index, { action: 'new-order', trade_index: index, payload: { order: fixedOrder('sell') } });
    const id = (await maker.waitFor('new-order', 15_000)).message.kind.id!;
    const canceled = await mostro(operator, ['admin', 'cancel', id, '--pretrade-only']);
    assert.equal(canceled.code, 0, canceled.stderr);
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'canceled-by-admin');
    await maker.waitFor('admin-canceled', 15_000);

    // A second cancel is refused by the node, and the CLI says why.
    const again = await mostro(operator, ['admin', 'cancel', id, '--pretrade-only']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not pre-trade/);
  });

  it('without the token the node refuses; a token is never sent in clear text to another machine', async () => {
    const noToken = await mostro({ home, env: { MOSTRO_RPC_URL: url } }, ['admin', 'maintenance', 'on']);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /refused SetMaintenanceMode.*MOSTRO_RPC_TOKEN/);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false);

    const remote = await mostro({ home, env: { MOSTRO_RPC_TOKEN: TOKEN } }, [
      'admin',
      'maintenance',
      'status',
      '--rpc',
      'http://192.0.2.77:50051',
    ]);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /refusing to send MOSTRO_RPC_TOKEN in clear text/);
  });

  it('on the node’s machine: the local mostrod’s [rpc] address and token, no URL or token needed', async () => {
    const dataDir = join(home, 'node');
    mkdirSync(dataDir);
    const port = t.node.admin.grpc!.port;
    writeFileSync(join(dataDir, 'config.toml'), `[rpc]\nenabled = true\nport = ${port}\nauth_token = "${TOKEN}"\n`);
    const env = { MOSTRO_DATA_DIR: dataDir };
    const on = await mostro({ home, env }, ['admin', 'maintenance', 'on', '--json']);
    assert.equal(on.code, 0, on.stderr);
    assert.equal(on.json.enabled, true);
    const off = await mostro({ home, env }, ['admin', 'maintenance', 'off', '--json']);
    assert.equal(off.json.enabled, false);
    // The local token goes only to the local node's address.
    const elsewhere = await mostro({ home, env: { ...env, MOSTRO_RPC_URL: `http://localhost:${port}` } }, [
      'admin',
      'maintenance',
      'on',
    ]);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /refused SetMaintenanceMode/);
  });

  it('no admin gRPC at the URL: says how to turn it on; bad arguments are usage errors', async () => {
    const absent = await mostro({ home }, ['admin', 'version', '--rpc', 'http://127.0.0.1:1']);
    assert.equal(absent.code, 1);
    assert.match(absent.stderr, /no admin gRPC answers at http:\/\/127\.0\.0\.1:1.*enabled = true/);
    for (const args of [
      ['admin', 'maintenance', 'maybe'],
      ['admin', 'maintenance', 'off', '--reason', 'x'],
      ['admin', 'version', '--rpc', 'ftp://x'],
      ['admin', 'disputes', '--rpc', url],
    ]) {
      const r = await mostro(operator, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    const pretrade = await mostro({ home }, ['admin', 'cancel', crypto.randomUUID(), '--pretrade-only']);
    assert.equal(pretrade.code, 2);
    assert.match(pretrade.stderr, /--pretrade-only is for cancel over the admin gRPC/);
  });
});
