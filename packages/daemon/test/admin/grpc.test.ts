// The admin gRPC (reference-0.20.md §6) against a real node, called with a real grpc-js client
// loaded from the same .proto: every RPC, the bearer token, the loopback rule, the limiter, and
// operator maintenance end to end (cant-do for new orders, the info event's tag, back to normal).
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { type ServiceError, status } from '@grpc/grpc-js';
import { parseInfoEvent } from '@mostro/protocol';
import { npubEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { MAX_FAILURES } from '../../src/admin/rate-limiter.ts';
import { getOrder } from '../../src/db/orders.ts';
import { getUser } from '../../src/db/users.ts';
import { fixedOrder, testUsers } from '../support/orders.ts';
import { eventually, queryRelay } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import type { TestUser } from '../support/test-user.ts';
import { adminClient, type Client, call, refusedWith } from './support.ts';

const TOKEN = 'test-token-0123456789abcdef';

describe('admin gRPC', () => {
  let t: TestNode;
  let client: Client;
  const users = testUsers(() => t);
  const user = () => users.user();
  const newOrder = async (u: TestUser) => {
    const { index } = u.next();
    await u.send(index, { action: 'new-order', trade_index: index, payload: { order: fixedOrder('sell') } });
    return u.waitFor((r) => r.message.kind.action === 'new-order' || r.message.kind.action === 'cant-do', 15_000);
  };
  const infoTag = async (value: string) =>
    eventually(async () => {
      const events = await queryRelay(t.node.relays, { kinds: [38385], authors: [t.node.pubkey] });
      const latest = events.sort((a, b) => b.created_at - a.created_at)[0];
      return latest && String(parseInfoEvent(latest).maintenance_mode) === value ? latest : undefined;
    }, 15_000);

  before(async () => {
    t = await startTestNode({
      // The listener binds every address so that the non-loopback test can reach it.
      settings: { 'rpc.enabled': true, 'rpc.port': 0, 'rpc.listen_address': '0.0.0.0', 'rpc.auth_token': TOKEN },
    });
    client = adminClient(t.node.admin.grpc!.port);
  });
  after(async () => {
    users.closeAll();
    client?.close();
    await t?.stop();
  });

  it('GetVersion and ValidateDbPassword need no token', async () => {
    assert.match((await call(client, 'GetVersion', {})).version as string, /^\d+\.\d+\.\d+/);
    // An unset optional field is absent, as in the reference's answers.
    assert.deepEqual(await call(client, 'ValidateDbPassword', { password: 'anything' }), { success: true });
  });

  it('a mutating RPC without the token, or with a wrong one, is PERMISSION_DENIED and changes nothing', async () => {
    const solver = npubEncode(getPublicKey(generateSecretKey()));
    for (const token of [undefined, 'wrong-token-0123456789abcdef', `${TOKEN}x`]) {
      await assert.rejects(
        call(client, 'AddSolver', { solver_pubkey: solver }, token),
        refusedWith(status.PERMISSION_DENIED),
      );
      await assert.rejects(
        call(client, 'SetMaintenanceMode', { enabled: true }, token),
        refusedWith(status.PERMISSION_DENIED),
      );
      await assert.rejects(
        call(client, 'CancelOrder', { order_id: crypto.randomUUID() }, token),
        refusedWith(status.PERMISSION_DENIED),
      );
      await assert.rejects(
        call(client, 'SettleOrder', { order_id: crypto.randomUUID() }, token),
        refusedWith(status.PERMISSION_DENIED),
      );
      await assert.rejects(
        call(client, 'TakeDispute', { dispute_id: crypto.randomUUID() }, token),
        refusedWith(status.PERMISSION_DENIED),
      );
    }
    assert.equal((await call(client, 'GetMaintenanceStatus', {})).enabled, false);
  });

  it('AddSolver: the admin-add-solver text, permission suffix included; a bad key fails', async () => {
    const key = getPublicKey(generateSecretKey());
    const ok = await call(client, 'AddSolver', { solver_pubkey: `${npubEncode(key)}:read`, request_id: '7' }, TOKEN);
    assert.equal(ok.success, true);
    const row = getUser(t.node.ctx.db, key);
    assert.equal(row?.is_solver, true);
    assert.equal(row?.solver_permission, 'read');
    const bad = await call(client, 'AddSolver', { solver_pubkey: `${npubEncode(key)}:admin` }, TOKEN);
    assert.equal(bad.success, false);
    assert.match(bad.error_message as string, /invalid_parameters/);
  });

  it('CancelOrder pretrade_only: a pending order is canceled by the node, the maker told', async () => {
    const maker = await user();
    const created = await newOrder(maker);
    const id = created.message.kind.id!;
    // A UUID is matched whatever its case.
    const result = await call(
      client,
      'CancelOrder',
      { order_id: id.toUpperCase(), pretrade_only: true, request_id: '42' },
      TOKEN,
    );
    assert.deepEqual(result, { success: true });
    assert.equal(getOrder(t.node.ctx.db, id)?.status, 'canceled-by-admin');
    const told = await maker.waitFor('admin-canceled', 15_000);
    assert.equal(told.message.kind.id, id);
    // Canceled now: not pre-trade any more, so pretrade_only refuses it.
    const again = await call(client, 'CancelOrder', { order_id: id, pretrade_only: true }, TOKEN);
    assert.equal(again.success, false);
    assert.match(again.error_message as string, /canceled-by-admin, not pre-trade/);
  });

  it('SettleOrder / TakeDispute / CancelOrder on what does not exist fail with the handler’s reason', async () => {
    const settle = await call(client, 'SettleOrder', { order_id: crypto.randomUUID() }, TOKEN);
    assert.equal(settle.success, false);
    assert.match(settle.error_message as string, /cant-do: not_found/);
    const take = await call(client, 'TakeDispute', { dispute_id: crypto.randomUUID() }, TOKEN);
    assert.equal(take.success, false);
    assert.match(take.error_message as string, /cant-do: not_found/);
    const junk = await call(client, 'CancelOrder', { order_id: 'not-a-uuid' }, TOKEN);
    assert.equal(junk.success, false);
    assert.match(junk.error_message as string, /not a UUID/);
  });

  it('maintenance: on → new orders get maintenance_mode, existing orders go on, info tag true; off → accepted', async () => {
    const maker = await user();
    const before = await newOrder(maker);
    const existing = before.message.kind.id!;
    await infoTag('false');

    const refused = await call(client, 'SetMaintenanceMode', { enabled: true, reason: 'lnd_unsynced' }, TOKEN);
    assert.equal(refused.success, false, 'the reason of the node’s own maintenance is refused');
    assert.equal((await call(client, 'GetMaintenanceStatus', {})).enabled, false);

    const on = await call(client, 'SetMaintenanceMode', { enabled: true, reason: 'LND migration' }, TOKEN);
    assert.equal(on.success, true);
    const status1 = await call(client, 'GetMaintenanceStatus', { request_id: '1' });
    assert.equal(status1.enabled, true);
    assert.equal(status1.reason, 'LND migration');
    assert.ok((status1.since as number) > 1_700_000_000);
    assert.deepEqual(status1.counters, {
      escrowed_orders: 0,
      inflight_payouts: 0,
      inflight_dev_fees: 0,
      open_bonds: 0,
      pending_bond_payouts: 0,
      pending_orders: 1,
    });
    assert.equal(status1.drained, true);
    // Republished at once (the test node's interval is minutes).
    await infoTag('true');

    const late = await user();
    const refusedOrder = await newOrder(late);
    assert.equal(refusedOrder.message.kind.action, 'cant-do');
    assert.deepEqual(refusedOrder.message.kind.payload, { cant_do: 'maintenance_mode' });
    // Existing orders are still served: the maker may cancel its own.
    await maker.send(maker.lastIndex, { action: 'cancel', id: existing });
    assert.equal((await maker.waitFor('canceled', 15_000)).message.kind.id, existing);

    const off = await call(client, 'SetMaintenanceMode', { enabled: false }, TOKEN);
    assert.equal(off.success, true);
    await infoTag('false');
    const accepted = await newOrder(late);
    assert.equal(accepted.message.kind.action, 'new-order');
  });

  it('an oversized request is refused by the transport, the node unchanged', async () => {
    await assert.rejects(
      call(client, 'SetMaintenanceMode', { enabled: true, reason: 'x'.repeat(100_000) }, TOKEN),
      refusedWith(status.RESOURCE_EXHAUSTED),
    );
    const long = await call(client, 'SetMaintenanceMode', { enabled: true, reason: 'x'.repeat(500) }, TOKEN);
    assert.deepEqual([long.success, long.error_message], [false, 'reason: at most 200 characters']);
    assert.equal((await call(client, 'GetMaintenanceStatus', {})).enabled, false);
  });

  it('ValidateDbPassword: a locked-out client gets RESOURCE_EXHAUSTED', async () => {
    const limiter = t.node.admin.service.limiter;
    for (let i = 0; i < MAX_FAILURES; i++) limiter.recordFailure('127.0.0.1', Date.now());
    await assert.rejects(call(client, 'ValidateDbPassword', { password: 'x' }), refusedWith(status.RESOURCE_EXHAUSTED));
    limiter.recordSuccess('127.0.0.1');
    assert.equal((await call(client, 'ValidateDbPassword', { password: 'x' })).success, true);
  });

  it('the reputation RPCs are UNIMPLEMENTED here (after the token check)', async () => {
    await assert.rejects(
      call(client, 'RevokeReputationImports', { issuer_key: 'a'.repeat(64) }),
      refusedWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      call(client, 'RevokeReputationImports', { issuer_key: 'a'.repeat(64) }, TOKEN),
      (error: ServiceError) => error.code === status.UNIMPLEMENTED && /not available on this node/.test(error.details),
    );
    await assert.rejects(
      call(
        client,
        'RebindReputationExport',
        { identity: 'a'.repeat(64), new_identity: 'b'.repeat(64), reason: 'x' },
        TOKEN,
      ),
      refusedWith(status.UNIMPLEMENTED),
    );
  });

  it('a non-loopback peer may not set maintenance, even with the token; read-only RPCs still answer', async (ctx) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      ctx.skip('this machine has no non-loopback IPv4 address');
      return;
    }
    const remote = adminClient(t.node.admin.grpc!.port, external.address);
    try {
      await assert.rejects(
        call(remote, 'SetMaintenanceMode', { enabled: true }, TOKEN),
        (error: ServiceError) => error.code === status.PERMISSION_DENIED && /loopback/.test(error.details),
      );
      assert.equal((await call(remote, 'GetMaintenanceStatus', {})).enabled, false);
      // The token alone guards the order RPCs, as in the reference.
      assert.equal((await call(remote, 'AddSolver', { solver_pubkey: 'npub1xyz' }, TOKEN)).success, false);
    } finally {
      remote.close();
    }
  });
});
