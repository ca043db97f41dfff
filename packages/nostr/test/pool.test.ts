import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type NostrEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket, { WebSocketServer } from 'ws';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../daemon/src/relay/index.ts';
import type { RelayPool, RelayStatus, StatusChange } from '../src/index.ts';
import { nodeRelayPool } from '../src/node.ts';

useWebSocketImplementation(WebSocket);

const now = () => Math.floor(Date.now() / 1000);
const fast = { connectTimeoutMs: 2000, publishTimeoutMs: 2000, backoff: { initialMs: 40, maxMs: 200 } };

function keypair() {
  const secret = generateSecretKey();
  return { secret, pubkey: getPublicKey(secret) };
}
let serial = 0;
// Unique content: two events with the same author, second and tags would otherwise be one event.
const sign = (secret: Uint8Array, kind: number, tags: string[][], created_at = now()): NostrEvent =>
  finalizeEvent({ kind, tags, content: `event ${++serial}`, created_at }, secret);

/** Publishes through a one-off plain nostr-tools connection (another client, not the pool). */
async function publishDirect(url: string, ...events: NostrEvent[]) {
  const relay = await Relay.connect(url);
  for (const event of events) await relay.publish(event);
  relay.close();
}

function waitForStatus(pool: RelayPool, url: string, status: RelayStatus): Promise<void> {
  if (pool.status(url) === status) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = pool.onStatus((change) => {
      if (change.url === url && change.status === status) {
        stop();
        resolve();
      }
    });
  });
}

/** Collects deliveries; `next(pred)` resolves on the first (past or future) delivery matching. */
function collector() {
  const received: { event: NostrEvent; url: string }[] = [];
  const waiters: { pred: (e: NostrEvent) => boolean; resolve: (e: NostrEvent) => void }[] = [];
  return {
    received,
    onevent(event: NostrEvent, url: string) {
      received.push({ event, url });
      for (const w of [...waiters]) {
        if (w.pred(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    next(pred: (e: NostrEvent) => boolean): Promise<NostrEvent> {
      const hit = received.find((r) => pred(r.event));
      if (hit) return Promise.resolve(hit.event);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    ids: () => received.map((r) => r.event.id),
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('relay pool over two embedded relays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mostro-pool-'));
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function relay(options: { dbPath?: string; port?: number } = {}): Promise<EmbeddedRelay> {
    const r = await startEmbeddedRelay({ purgeIntervalMs: 0, ...options });
    cleanups.push(() => r.close());
    return r;
  }
  function pool(relays: string[]): RelayPool {
    const p = nodeRelayPool({ relays, ...fast });
    cleanups.push(() => p.close());
    return p;
  }

  it('delivers an event once even when several relays carry it, and publishes to all', async () => {
    const [a, b] = [await relay(), await relay()];
    const me = keypair();
    const sender = keypair();
    const subscriber = pool([a.url, b.url]);
    await subscriber.ready();
    assert.deepEqual(subscriber.statuses(), { [a.url]: 'connected', [b.url]: 'connected' });

    const got = collector();
    let eoses = 0;
    subscriber.subscribe([{ kinds: [14], '#p': [me.pubkey] }], { onevent: got.onevent, oneose: () => eoses++ });

    const first = sign(sender.secret, 14, [['p', me.pubkey]]);
    await publishDirect(a.url, first);
    await got.next((e) => e.id === first.id);
    // The same event arriving later through the other relay is not delivered again.
    await publishDirect(b.url, first);

    const publisher = pool([a.url, b.url]);
    const second = sign(sender.secret, 14, [['p', me.pubkey]]);
    const results = await publisher.publish(second);
    assert.deepEqual(
      results.map((r) => [r.url, r.ok]),
      [
        [a.url, true],
        [b.url, true],
      ],
    );
    await got.next((e) => e.id === second.id);
    // Both relays have sent `second` by now or will; a third event after it proves the order.
    const third = sign(sender.secret, 14, [['p', me.pubkey]]);
    await publisher.publish(third);
    await got.next((e) => e.id === third.id);
    await publishDirect(a.url, sign(sender.secret, 14, [['p', keypair().pubkey]]));
    const fourth = sign(sender.secret, 14, [['p', me.pubkey]]);
    await publishDirect(b.url, fourth);
    await got.next((e) => e.id === fourth.id);

    assert.deepEqual(got.ids(), [first.id, second.id, third.id, fourth.id]);
    assert.equal(eoses, 1);
  });

  it('after a relay outage, reconnects and delivers what was stored meanwhile (resubscribe with since)', async () => {
    const dbPath = join(dir, 'a.db');
    const a = await relay({ dbPath });
    const b = await relay();
    const me = keypair();
    const sender = keypair();
    const subscriber = nodeRelayPool({ relays: [a.url, b.url], ...fast });
    cleanups.push(() => subscriber.close());
    const changes: StatusChange[] = [];
    subscriber.onStatus((c) => changes.push(c));
    await subscriber.ready();

    const got = collector();
    let eosed!: () => void;
    const eose = new Promise<void>((resolve) => {
      eosed = resolve;
    });
    subscriber.subscribe([{ kinds: [14], '#p': [me.pubkey], limit: 50 }], { onevent: got.onevent, oneose: eosed });
    await eose;
    const before = sign(sender.secret, 14, [['p', me.pubkey]]);
    await publishDirect(a.url, before);
    await got.next((e) => e.id === before.id);

    // Outage: relay A goes away.
    const down = waitForStatus(subscriber, a.url, 'down');
    await a.close();
    await down;
    const whileDown = await subscriber.publish(sign(me.secret, 14, [['p', sender.pubkey]]));
    const failed = whileDown.find((r) => r.url === a.url)!;
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.code, 'not-connected');
    assert.equal(whileDown.find((r) => r.url === b.url)!.ok, true);

    // Meanwhile another client stores events in A's database (through a stand-in on another
    // port), so the subscriber can only get them by asking again once A is back.
    const missed = sign(sender.secret, 14, [['p', me.pubkey]]);
    const ancient = sign(sender.secret, 14, [['p', me.pubkey]], before.created_at - 3600);
    const standIn = await startEmbeddedRelay({ dbPath, purgeIntervalMs: 0 });
    await publishDirect(standIn.url, missed, ancient);
    await standIn.close();

    const back = await relay({ dbPath, port: a.port });
    assert.equal(back.url, a.url);
    await got.next((e) => e.id === missed.id);
    // A marker published after reconnection arrives live, i.e. after A answered the re-sent REQ:
    // by then `ancient` (older than last seen − margin) would have come if `since` were not set.
    const marker = sign(sender.secret, 14, [['p', me.pubkey]]);
    await publishDirect(a.url, marker);
    await got.next((e) => e.id === marker.id);
    assert.deepEqual(got.ids(), [before.id, missed.id, marker.id]);

    const forA = changes.filter((c) => c.url === a.url).map((c) => c.status);
    assert.deepEqual(forA.slice(0, 3), ['connected', 'down', 'connecting']);
    assert.equal(forA.at(-1), 'connected');
    assert.equal(subscriber.status(a.url), 'connected');
  });

  it('works alongside a relay that refuses connections, retrying it in the background', async () => {
    const a = await relay();
    const refused = `ws://127.0.0.1:${await closedPort()}`;
    const p = pool([refused, a.url]);
    const attempts: number[] = [];
    p.onStatus((c) => {
      if (c.url === refused && c.status === 'down') attempts.push(c.attempt);
    });
    await p.ready();
    // Retried in the background: between attempts it is down, during one it is connecting.
    assert.notEqual(p.status(refused), 'connected');
    assert.equal(p.status(a.url), 'connected');

    const me = keypair();
    const got = collector();
    // EOSE counts a down relay as done, so it comes although one relay never answers.
    const eose = new Promise<void>((resolve) =>
      p.subscribe([{ kinds: [1059], '#p': [me.pubkey] }], { onevent: got.onevent, oneose: resolve }),
    );
    await eose;
    const wrap = sign(keypair().secret, 1059, [['p', me.pubkey]]);
    const results = await p.publish(wrap);
    assert.deepEqual(
      results.map((r) => [r.url, r.ok, r.ok ? '' : r.code]),
      [
        [refused, false, 'not-connected'],
        [a.url, true, ''],
      ],
    );
    await got.next((e) => e.id === wrap.id);
    // It keeps retrying, counting attempts.
    while (attempts.length < 3)
      await waitForStatus(p, refused, 'connecting').then(() => waitForStatus(p, refused, 'down'));
    assert.deepEqual(attempts.slice(0, 3), [0, 1, 2]);
  });

  it('survives a relay that sends garbage and forged events', async () => {
    const a = await relay();
    const liar = keypair();
    const me = keypair();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const forged = { ...sign(liar.secret, 1059, [['p', me.pubkey]]), content: 'forged' };
    server.on('connection', (ws) => {
      for (const frame of [
        'nonsense',
        '[]',
        '{}',
        '["EVENT"]',
        '["EVENT","nosub",null]',
        '["OK"]',
        '["EOSE"]',
        '[1]',
        'null',
      ])
        ws.send(frame);
      ws.send(Buffer.from([0xde, 0xad]));
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message[0] === 'REQ') {
          ws.send(JSON.stringify(['EVENT', message[1], forged]));
          ws.send(JSON.stringify(['EVENT', message[1], null]));
          ws.send(JSON.stringify(['EVENT', message[1], { id: 42 }]));
          ws.send(JSON.stringify(['EOSE', message[1]]));
        } else if (message[0] === 'EVENT') {
          ws.send(JSON.stringify(['OK', message[1].id, false, 'blocked: liar']));
        }
      });
    });
    const liarUrl = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const p = pool([liarUrl, a.url]);
    await p.ready();
    const got = collector();
    p.subscribe([{ kinds: [1059], '#p': [me.pubkey] }], { onevent: got.onevent });
    const real = sign(keypair().secret, 1059, [['p', me.pubkey]]);
    const results = await p.publish(real);
    assert.deepEqual(
      results.map((r) => [r.ok, r.ok ? '' : r.code, r.message]),
      [
        [false, 'rejected', 'blocked: liar'],
        [true, '', ''],
      ],
    );
    await got.next((e) => e.id === real.id);
    assert.deepEqual(got.ids(), [real.id]);
    assert.equal(p.status(liarUrl), 'connected');
  });

  it('refuses URLs that are not websockets and an empty filter list', () => {
    const p = pool([]);
    assert.throws(() => p.addRelay('http://127.0.0.1:1'), TypeError);
    assert.throws(() => p.subscribe([], { onevent() {} }), TypeError);
  });

  it('stops delivering after close and can add and remove relays', async () => {
    const [a, b] = [await relay(), await relay()];
    const p = pool([a.url]);
    p.addRelay(b.url);
    await p.ready();
    assert.deepEqual(p.urls, [a.url, b.url]);
    p.removeRelay(a.url);
    assert.deepEqual(p.urls, [b.url]);
    const me = keypair();
    const got = collector();
    const sub = p.subscribe([{ kinds: [14], '#p': [me.pubkey] }], { onevent: got.onevent });
    const one = sign(keypair().secret, 14, [['p', me.pubkey]]);
    const results = await p.publish(one);
    assert.deepEqual(
      results.map((r) => r.url),
      [b.url],
    );
    await got.next((e) => e.id === one.id);
    sub.close();
    const two = sign(keypair().secret, 14, [['p', me.pubkey]]);
    await publishDirect(b.url, two);
    // Round trip through a fresh subscription on the same pool: `two` has been fanned out by now.
    const check = collector();
    const probe = p.subscribe([{ ids: [two.id] }], { onevent: check.onevent });
    await check.next((e) => e.id === two.id);
    probe.close();
    assert.deepEqual(got.ids(), [one.id]);
  });
});
