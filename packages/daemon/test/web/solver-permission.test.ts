// GET /solver-api/permission on the web server: a NIP-98 event proves the key, the answer is that
// key's permission and nothing else; every malformed, stale, foreign-URL or forged proof is 401.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getToken } from 'nostr-tools/nip98';
import { type EventTemplate, finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { startWebServer, type WebServer } from '../../src/web/server.ts';

const reader = generateSecretKey();
const writer = generateSecretKey();
const stranger = generateSecretKey();
const PERMS: Record<string, 'read' | 'read-write'> = {
  [getPublicKey(reader)]: 'read',
  [getPublicKey(writer)]: 'read-write',
};

describe('web server: solver permission (NIP-98)', () => {
  let web: WebServer;
  let url: string;
  before(async () => {
    web = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      dist: mkdtempSync(join(tmpdir(), 'web-dist-')),
      node: 'npub1x',
      relays: [],
      simulated: true,
      walletUrl: null,
      solverPermission: (pk) => PERMS[pk] ?? null,
    });
    url = `${web.url}/solver-api/permission`;
  });
  after(async () => {
    await web?.close();
  });

  const ask = (authorization?: string, method = 'GET') =>
    fetch(url, { method, headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) });
  const token = (sk: Uint8Array, u = url, method = 'GET', edit: (e: EventTemplate) => EventTemplate = (e) => e) =>
    getToken(u, method, (e) => finalizeEvent(edit(e), sk), true);

  it('answers each key with its own permission', async () => {
    for (const [sk, want] of [
      [reader, 'read'],
      [writer, 'read-write'],
      [stranger, null],
    ] as const) {
      const res = await ask(await token(sk));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { pubkey: getPublicKey(sk), permission: want });
    }
  });

  it('refuses a missing, malformed, foreign-URL, wrong-method, stale or forged proof', async () => {
    const forged = async () => {
      const t = await token(writer);
      const e = JSON.parse(Buffer.from(t.slice(6), 'base64').toString());
      e.pubkey = getPublicKey(reader);
      return `Nostr ${Buffer.from(JSON.stringify(e)).toString('base64')}`;
    };
    const cases: [string, string | undefined][] = [
      ['none', undefined],
      ['garbage', 'Nostr !!!'],
      ['bearer', 'Bearer abc'],
      ['not json', `Nostr ${Buffer.from('{').toString('base64')}`],
      ['other host', await token(writer, 'http://evil.example/solver-api/permission')],
      ['other path', await token(writer, `${web.url}/admin-api/solvers`)],
      ['POST proof', await token(writer, url, 'POST')],
      ['stale', await token(writer, url, 'GET', (e) => ({ ...e, created_at: e.created_at - 600 }))],
      ['forged', await forged()],
    ];
    for (const [name, auth] of cases) {
      const res = await ask(auth);
      assert.equal(res.status, 401, name);
      assert.ok(typeof (await res.json()).error === 'string', name);
    }
  });

  it('answers GET only', async () => {
    assert.equal((await ask(await token(writer), 'POST')).status, 405);
  });
});
