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
import { referenceBinaryPath } from '../../scripts/reference/build.mjs';
import { type RefCliUser, refCli, refCliSkip, refCliUser } from './support/reference-cli.ts';

const TOKEN = 'interop-admin-token-0123456789';
const missing = refCliSkip();
const help = missing ? '' : spawnSync(referenceBinaryPath('mostro-cli'), ['--help'], { encoding: 'utf8' }).stdout;
const skip = missing || (!help.includes('admsetmaintenance') && 'this mostro-cli has no admin gRPC commands');

describe('the reference mostro-cli against our admin gRPC', { skip, timeout: 180_000 }, () => {
  let t: TestNode;
  let home: string;
  const users = testUsers(() => t);

  let operator: RefCliUser;
  /** The operator's mostro-cli; MOSTRO_RPC_TOKEN only when `token` is given. */
  const run = (args: string[], token: string | null = TOKEN) =>
    refCli(operator, args, {
      env: { MOSTRO_RPC_URL: t.node.admin.grpc!.url, ...(token ? { MOSTRO_RPC_TOKEN: token } : {}) },
      timeoutMs: 60_000,
    });

  before(async () => {
    t = await startTestNode({ settings: { 'rpc.enabled': true, 'rpc.port': 0, 'rpc.auth_token': TOKEN } });
    home = mkdtempSync(join(tmpdir(), 'mcli-'));
    operator = refCliUser(home, 'operator', t.node.pubkey, t.node.relays);
  });
  after(async () => {
    users.closeAll();
    await t?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('admsetmaintenance on/off and admmaintenancestatus', async () => {
    const denied = await run(['admsetmaintenance', '--enabled', 'true', '--reason', 'x'], null);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false, `without the token: ${denied.stdout}${denied.stderr}`);

    const on = await run(['admsetmaintenance', '--enabled', 'true', '--reason', 'LN node migration']);
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(
      [getMaintenance(t.node.ctx.db).enabled, getMaintenance(t.node.ctx.db).reason],
      [true, 'LN node migration'],
    );
    const status = await run(['admmaintenancestatus']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout + status.stderr, /LN node migration/);

    const off = await run(['admsetmaintenance', '--enabled', 'false']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false);
  });

  // mostro-cli asks GetVersion first and refuses below mostrod 0.18.7 (or an unparseable version);
  // this node reports 0.20.2+mostro-ts.<its version> (node/jobs.ts MOSTRO_VERSION).
  it('admcancelpending cancels a pending order as the node', async () => {
    const maker = await users.user();
    const { index } = maker.next();
    await maker.send(index, { action: 'new-order', trade_index: index, payload: { order: fixedOrder('sell') } });
    const id = (await maker.waitFor('new-order', 15_000)).message.kind.id!;
    const r = await run(['admcancelpending', '-o', id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'canceled-by-admin');
    await maker.waitFor('admin-canceled', 15_000);
  });
});
