// The console's admin API client against a fetch double that follows the agreed contract: the
// token goes in the Authorization header, every status the contract names maps to an error value,
// malformed answers are errors, never crashes. (The Chromium test runs it against the real node.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminApi } from '../src/console/admin-api.ts';

type Handler = (path: string, init: RequestInit) => Response | Promise<Response>;

function api(handler: Handler, token = 'tok') {
  const calls: { path: string; init: RequestInit }[] = [];
  const client = new AdminApi(token, async (url, init) => {
    calls.push({ path: url, init });
    return handler(url, init);
  });
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('console: admin API client', () => {
  it('sends the bearer token and reads the version', async () => {
    const { client, calls } = api(() => json({ version: '0.1.0' }), 'secret-token');
    assert.deepEqual(await client.version(), { ok: true, value: '0.1.0' });
    assert.equal(calls[0]?.path, '/admin-api/version');
    assert.equal((calls[0]?.init.headers as Record<string, string> | undefined)?.authorization, 'Bearer secret-token');
  });

  it('401 is unauthorized, 404 is unavailable, a thrown fetch is a network error', async () => {
    assert.deepEqual(await api(() => json({}, 401)).client.version(), { ok: false, error: { kind: 'unauthorized' } });
    assert.deepEqual(await api(() => new Response('', { status: 404 })).client.solvers(), {
      ok: false,
      error: { kind: 'unavailable' },
    });
    const r = await api(() => {
      throw new TypeError('Failed to fetch');
    }).client.maintenance();
    assert.deepEqual(r, { ok: false, error: { kind: 'network', message: 'Failed to fetch' } });
  });

  it('reads the solver list and refuses a malformed one', async () => {
    const row = { pubkey: 'a'.repeat(64), npub: 'npub1x', permission: 'read' };
    assert.deepEqual(await api(() => json({ solvers: [row] })).client.solvers(), { ok: true, value: [row] });
    for (const bad of [{ solvers: [{ ...row, permission: 'admin' }] }, { solvers: 'x' }, [], null]) {
      const r = await api(() => json(bad)).client.solvers();
      assert.equal(r.ok ? 'ok' : r.error.kind, 'bad_answer', JSON.stringify(bad));
    }
    const notJson = await api(() => new Response('<html>', { status: 200 })).client.solvers();
    assert.equal(notJson.ok ? 'ok' : notJson.error.kind, 'bad_answer');
  });

  it('posts add-solver and maintenance, and a success false carries the node message', async () => {
    const { client, calls } = api((_, init) =>
      String(init.body).includes('bad')
        ? json({ success: false, error_message: 'invalid npub' })
        : json({ success: true }),
    );
    assert.deepEqual(await client.addSolver('npub1abc:read'), { ok: true, value: true });
    assert.equal(calls[0]?.init.method, 'POST');
    assert.deepEqual(JSON.parse(String(calls[0]?.init.body)), { solver_pubkey: 'npub1abc:read' });
    assert.deepEqual(await client.addSolver('bad'), { ok: false, error: { kind: 'refused', message: 'invalid npub' } });
    await client.setMaintenance(true, 'upgrade');
    assert.deepEqual(JSON.parse(String(calls[2]?.init.body)), { enabled: true, reason: 'upgrade' });
    assert.equal(calls[2]?.path, '/admin-api/maintenance');
  });

  it('reads maintenance and a failing health report (503 still carries the checks)', async () => {
    const m = await api(() =>
      json({ enabled: true, reason: 'x', since: 5, counters: { escrowed_orders: 2, junk: 'no' }, drained: false }),
    ).client.maintenance();
    assert.deepEqual(m, {
      ok: true,
      value: { enabled: true, reason: 'x', since: 5, counters: { escrowed_orders: 2 }, drained: false },
    });
    const h = await api(() =>
      json({ status: 'unhealthy', checks: { lightning: { ok: false, detail: 'down' }, database: { ok: true } } }, 503),
    ).client.health();
    assert.deepEqual(h, {
      ok: true,
      value: { status: 'unhealthy', checks: { lightning: { ok: false, detail: 'down' }, database: { ok: true } } },
    });
  });

  it('returns the metrics text, and an HTTP error as an error', async () => {
    assert.deepEqual(await api(() => new Response('a 1\n')).client.metrics(), { ok: true, value: 'a 1\n' });
    const r = await api(() => new Response('', { status: 500 })).client.metrics();
    assert.equal(r.ok ? 'ok' : r.error.kind, 'bad_answer');
  });
});
