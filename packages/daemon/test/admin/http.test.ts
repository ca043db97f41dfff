// The console's admin API (/admin-api/ on the web server): off without a token, loopback only,
// bearer token on every request, each route against a real node, malformed input → 400 JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { getMaintenance } from '../../src/health/maintenance.ts';
import { startWebServer, type WebServer } from '../../src/web/server.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';

const TOKEN = 'console-token-0123456789abcdef';

describe('console admin API', () => {
  let t: TestNode;
  let web: WebServer;
  let off: WebServer;
  let dist: string;

  const api = (path: string, init: RequestInit & { token?: string | null; base?: string } = {}) => {
    const { token = TOKEN, base = web.url, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    if (rest.body !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${base}/admin-api${path}`, { ...rest, headers, signal: AbortSignal.timeout(30_000) });
  };
  const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    t = await startTestNode({ settings: { 'rpc.auth_token': TOKEN, 'metrics.enabled': false } });
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    const common = { port: 0, dist, node: t.node.npub, relays: t.node.relays, simulated: true, walletUrl: null };
    web = await startWebServer({ ...common, host: '0.0.0.0', admin: t.node.admin.http });
    off = await startWebServer({ ...common, host: '127.0.0.1', admin: null });
    web.url = web.url.replace('0.0.0.0', '127.0.0.1');
  });
  after(async () => {
    await web?.close();
    await off?.close();
    await t?.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('without a configured token the API is off: 404', async () => {
    const res = await api('/version', { base: off.url });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).success, false);
  });

  it('a missing or wrong token is 401, whatever the route', async () => {
    for (const token of [null, 'wrong', `${TOKEN}0`, '']) {
      for (const path of ['/version', '/maintenance', '/solvers', '/nope']) {
        const res = await api(path, { token });
        assert.equal(res.status, 401, `${path} with ${token}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      }
    }
    const res = await fetch(`${web.url}/admin-api/maintenance`, {
      method: 'POST',
      headers: { authorization: `Basic ${TOKEN}` },
      body: '{"enabled":true}',
    });
    assert.equal(res.status, 401);
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false);
  });

  it('GET /version, /health, /metrics', async () => {
    assert.match((await (await api('/version')).json()).version, /^\d+\.\d+\.\d+/);
    const health = await api('/health');
    const body = await health.json();
    assert.ok([200, 503].includes(health.status));
    assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'lightning', 'relays']);
    assert.equal(body.checks.database.ok, true);
    const metrics = await api('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await metrics.text(), /^# HELP /m);
  });

  it('maintenance: GET the status, POST on and off, the node’s own reason refused', async () => {
    const first = await (await api('/maintenance')).json();
    assert.deepEqual(first, {
      enabled: false,
      reason: null,
      since: null,
      counters: {
        escrowed_orders: 0,
        inflight_payouts: 0,
        inflight_dev_fees: 0,
        open_bonds: 0,
        pending_bond_payouts: 0,
        pending_orders: 0,
      },
      drained: true,
    });
    assert.deepEqual(await (await post('/maintenance', { enabled: true, reason: 'lnd_unsynced' })).json(), {
      success: false,
      error_message: "reason lnd_unsynced is the node's own (LND unsynced); choose another",
    });
    assert.deepEqual(await (await post('/maintenance', { enabled: true, reason: 'upgrade' })).json(), {
      success: true,
    });
    const on = await (await api('/maintenance')).json();
    assert.equal(on.enabled, true);
    assert.equal(on.reason, 'upgrade');
    assert.equal(typeof on.since, 'number');
    assert.deepEqual(await (await post('/maintenance', { enabled: false })).json(), { success: true });
    assert.equal((await (await api('/maintenance')).json()).enabled, false);
  });

  it('solvers: POST adds (with a permission), GET lists them; a bad key is refused', async () => {
    const key = getPublicKey(generateSecretKey());
    assert.deepEqual(await (await post('/solvers', { solver_pubkey: `${npubEncode(key)}:read` })).json(), {
      success: true,
    });
    const { solvers } = await (await api('/solvers')).json();
    assert.deepEqual(
      solvers.find((s: { pubkey: string }) => s.pubkey === key),
      { pubkey: key, npub: npubEncode(key), permission: 'read' },
    );
    const bad = await (await post('/solvers', { solver_pubkey: 'npub1notakey:sometimes' })).json();
    assert.equal(bad.success, false);
    assert.match(bad.error_message, /invalid_parameters/);
  });

  it('malformed requests: 400 with a JSON error; too large 413; unknown route 404; wrong method 405', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/maintenance', { method: 'POST', body: '{not json' }, 400],
      ['/maintenance', { method: 'POST', body: '[true]' }, 400],
      ['/maintenance', { method: 'POST', body: '{"enabled":"yes"}' }, 400],
      ['/maintenance', { method: 'POST', body: '{"enabled":true,"reason":5}' }, 400],
      ['/solvers', { method: 'POST', body: '{}' }, 400],
      ['/solvers', { method: 'POST', body: '' }, 400],
      ['/maintenance', { method: 'POST', body: JSON.stringify({ enabled: true, reason: 'x'.repeat(20_000) }) }, 413],
      ['/orders', { method: 'GET' }, 404],
      ['/version', { method: 'DELETE' }, 405],
    ];
    for (const [path, init, status] of cases) {
      const res = await api(path, init);
      assert.equal(res.status, status, `${init.method} ${path} ${String(init.body).slice(0, 30)}`);
      const body = await res.json();
      assert.equal(body.success, false);
      assert.equal(typeof body.error_message, 'string');
    }
    assert.equal(getMaintenance(t.node.ctx.db).enabled, false, 'nothing changed');
    // The server still answers after all that.
    assert.equal((await api('/version')).status, 200);
  });

  it('a non-loopback peer is refused (403) even with the token', async (ctx) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      ctx.skip('this machine has no non-loopback IPv4 address');
      return;
    }
    const port = new URL(web.url).port;
    const res = await api('/version', { base: `http://${external.address}:${port}` });
    assert.equal(res.status, 403);
  });
});
