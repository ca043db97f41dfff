// Interop: the real mostro-cli 0.16.3 drives our node's admin gRPC (reference-0.20.md §6) —
// admsetmaintenance, admmaintenancestatus and admcancelpending, with the bearer token — so the
// .proto we wrote from the spec talks to the reference's client on the wire.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getOrder } from '../../packages/daemon/src/db/orders.ts';
import { getMaintenance } from '../../packages/daemon/src/health/maintenance.ts';
import { fixedOrder, testUsers } from '../../packages/daemon/test/support/orders.ts';
import { startTestNode, type TestNode } from '../../packages/daemon/test/support/test-node.ts';
import { haveReference, referenceBinaryPath } from '../../scripts/reference/build.mjs';

const TOKEN = 'interop-admin-token-0123456789';
const cli = haveReference('mostro-cli') ? referenceBinaryPath('mostro-cli') : null;
const help = cli ? spawnSync(cli, ['--help'], { encoding: 'utf8' }).stdout : '';
const skip = !cli
  ? 'needs the reference mostro-cli (interop group)'
  : !help.includes('admsetmaintenance')
    ? 'this mostro-cli has no admin gRPC commands'
    : false;

describe('the reference mostro-cli against our admin gRPC', { skip, timeout: 180_000 }, () => {
  let t: TestNode;
  let home: string;
  const users = testUsers(() => t);

  const run = (args: string[], token: string | null = TOKEN) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      MOSTRO_PUBKEY: t.node.pubkey,
      RELAYS: t.node.relays.join(','),
      MOSTRO_RPC_URL: t.node.admin.grpc!.url,
    };
    if (token) env.MOSTRO_RPC_TOKEN = token;
    else delete env.MOSTRO_RPC_TOKEN;
    return spawnSync(cli as string, args, { env, encoding: 'utf8', timeout: 60_000 });
  };

  before(async () => {
    t = await startTestNode({ settings: { 'rpc.enabled': true, 'rpc.port': 0, 'rpc.auth_token': TOKEN } });
    home = mkdtempSync(join(tmpdir(), 'mcli-'));
  });
  after(async () => {
    users.closeAll();
    await t?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('admsetmaintenance on/off and admmaintenancestatus', () => {
    const denied = run(['admsetmaintenance', '--enabled', 'true', '--reason', 'x'], null);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false, `without the token: ${denied.stdout}${denied.stderr}`);

    const on = run(['admsetmaintenance', '--enabled', 'true', '--reason', 'LN node migration']);
    assert.equal(on.status, 0, on.stderr);
    assert.deepEqual(
      [getMaintenance(t.node.ctx.db).enabled, getMaintenance(t.node.ctx.db).reason],
      [true, 'LN node migration'],
    );
    const status = run(['admmaintenancestatus']);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout + status.stderr, /LN node migration/);

    const off = run(['admsetmaintenance', '--enabled', 'false']);
    assert.equal(off.status, 0, off.stderr);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false);
  });

  it('admcancelpending cancels a pending order as the node', async () => {
    const maker = await users.user();
    const { index } = maker.next();
    await maker.send(index, { action: 'new-order', trade_index: index, payload: { order: fixedOrder('sell') } });
    const id = (await maker.waitFor('new-order', 15_000)).message.kind.id!;
    const r = run(['admcancelpending', '-o', id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'canceled-by-admin');
    await maker.waitFor('admin-canceled', 15_000);
  });
});
