import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Relay } from 'nostr-tools/relay';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../src/relay/index.ts';
import { connect, keypair, nextEvent, now, query, rawSocket, signed } from './nostr-fixtures.ts';

describe('embedded relay', () => {
  let relay: EmbeddedRelay;
  let client: Relay;
  const alice = keypair();
  const bob = keypair();

  before(async () => {
    relay = await startEmbeddedRelay({ purgeIntervalMs: 0 });
    client = await connect(relay.url);
  });
  after(async () => {
    client.close();
    await relay.close();
  });

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    assert.match(relay.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(relay.port > 0);
    assert.equal(relay.url, `ws://127.0.0.1:${relay.port}`);
  });

  const kinds: [number, string[][]][] = [
    [14, [['p', bob.pubkey]]],
    [1059, [['p', bob.pubkey]]],
    [
      38383,
      [
        ['d', 'order-1'],
        ['k', 'sell'],
        ['s', 'pending'],
      ],
    ],
    [38384, [['d', 'rating-1']]],
    [38385, [['d', alice.pubkey]]],
    [
      38386,
      [
        ['d', 'dispute-1'],
        ['s', 'initiated'],
      ],
    ],
    [30078, [['d', 'rates']]],
    [10002, [['r', 'ws://127.0.0.1:1']]],
    [0, []],
    [8383, []],
  ];
  for (const [kind, tags] of kinds) {
    it(`stores, serves and streams kind ${kind}`, async () => {
      const live = nextEvent(client, [{ kinds: [kind], authors: [alice.pubkey] }]);
      await live.eose;
      const event = signed(alice.secret, { kind, tags, content: `kind ${kind}` });
      await client.publish(event);
      assert.equal((await live.event).id, event.id);
      live.close();
      const stored = await query(client, [{ kinds: [kind], authors: [alice.pubkey] }]);
      assert.deepEqual(
        stored.map((e) => e.id),
        [event.id],
      );
      // The same event, field for field (the JSON round trip drops nostr-tools' `verified` symbol).
      assert.deepEqual(JSON.parse(JSON.stringify(stored[0])), JSON.parse(JSON.stringify(event)));
    });
  }

  it('replaces addressable events per d tag: the newest created_at wins, whatever the arrival order', async () => {
    const author = keypair();
    const t = now();
    const v1 = signed(author.secret, {
      kind: 38383,
      tags: [
        ['d', 'o'],
        ['s', 'pending'],
      ],
      created_at: t - 10,
    });
    const v2 = signed(author.secret, {
      kind: 38383,
      tags: [
        ['d', 'o'],
        ['s', 'in-progress'],
      ],
      created_at: t - 5,
    });
    const other = signed(author.secret, {
      kind: 38383,
      tags: [
        ['d', 'p'],
        ['s', 'pending'],
      ],
      created_at: t - 10,
    });
    await client.publish(v1);
    await client.publish(v2);
    await client.publish(other);
    // A stale revision arriving late must not replace the newer one.
    await client.publish(
      signed(author.secret, {
        kind: 38383,
        tags: [
          ['d', 'o'],
          ['s', 'canceled'],
        ],
        created_at: t - 20,
      }),
    );
    const stored = await query(client, [{ kinds: [38383], authors: [author.pubkey] }]);
    assert.deepEqual(stored.map((e) => e.id).sort(), [v2.id, other.id].sort());
    const byD = await query(client, [{ kinds: [38383], authors: [author.pubkey], '#d': ['o'] }]);
    assert.deepEqual(
      byD.map((e) => e.id),
      [v2.id],
    );
    // Tag queries on the replaced revision's tags no longer find it.
    assert.deepEqual(await query(client, [{ kinds: [38383], authors: [author.pubkey], '#s': ['canceled'] }]), []);
  });

  it('replaces kind 0 and 10002 per author', async () => {
    const author = keypair();
    const t = now();
    for (const kind of [0, 10002]) {
      await client.publish(signed(author.secret, { kind, content: 'old', created_at: t - 2 }));
      const newer = signed(author.secret, { kind, content: 'new', created_at: t - 1 });
      await client.publish(newer);
      const stored = await query(client, [{ kinds: [kind], authors: [author.pubkey] }]);
      assert.deepEqual(
        stored.map((e) => e.id),
        [newer.id],
      );
    }
  });

  it('applies limit, since, authors, kinds, #p and #d', async () => {
    const author = keypair();
    const t = now() - 100;
    const events = [0, 1, 2, 3, 4].map((i) =>
      signed(author.secret, { kind: 14, tags: [['p', i % 2 ? bob.pubkey : alice.pubkey]], created_at: t + i }),
    );
    for (const event of events) await client.publish(event);
    const ids = (list: { id: string }[]) => list.map((e) => e.id);
    assert.deepEqual(ids(await query(client, [{ authors: [author.pubkey], limit: 2 }])), [
      events[4]!.id,
      events[3]!.id,
    ]);
    assert.deepEqual(ids(await query(client, [{ authors: [author.pubkey], since: t + 3 }])), [
      events[4]!.id,
      events[3]!.id,
    ]);
    assert.deepEqual(ids(await query(client, [{ authors: [author.pubkey], '#p': [bob.pubkey] }])), [
      events[3]!.id,
      events[1]!.id,
    ]);
    assert.deepEqual(await query(client, [{ authors: [author.pubkey], kinds: [1059] }]), []);
    assert.deepEqual(await query(client, [{ authors: [author.pubkey], limit: 0 }]), []);
    const d = signed(author.secret, { kind: 30078, tags: [['d', 'mostro-rates']] });
    await client.publish(d);
    assert.deepEqual(ids(await query(client, [{ '#d': ['mostro-rates'], authors: [author.pubkey] }])), [d.id]);
  });

  it('delivers live events only to subscriptions whose tag filters match', async () => {
    const carol = keypair();
    const forBob: string[] = [];
    const forCarol = nextEvent(client, [{ kinds: [1059], '#p': [carol.pubkey] }]);
    const bobSub = client.subscribe([{ kinds: [1059], '#p': [bob.pubkey], since: now() + 1000 }], {
      onevent: (e) => forBob.push(e.id),
      oninvalidevent: (e) => forBob.push(`invalid:${(e as { id: string }).id}`),
    });
    await forCarol.eose;
    const wrap = signed(alice.secret, { kind: 1059, tags: [['p', carol.pubkey]], created_at: now() + 2000 });
    await client.publish(wrap);
    assert.equal((await forCarol.event).id, wrap.id);
    // Round trip on the same connection: anything sent to bob's subscription would already be here.
    await query(client, [{ ids: [wrap.id] }]);
    assert.deepEqual(forBob, []);
    bobSub.close();
    forCarol.close();
  });

  it('keeps many subscriptions live on one connection (a pool multiplexes them)', async () => {
    const recipients = Array.from({ length: 40 }, () => keypair());
    const got: string[] = [];
    const subs = recipients.map((r) =>
      nextEvent(client, [{ kinds: [1059], '#p': [r.pubkey] }], (e) => got.push(e.id) > 0),
    );
    await Promise.all(subs.map((s) => s.eose));
    const wrap = signed(alice.secret, { kind: 1059, tags: [['p', recipients[0]!.pubkey]] });
    await client.publish(wrap);
    // A round trip on the same connection: the live copy, if any, has arrived before its answer.
    await query(client, [{ ids: [wrap.id] }]);
    assert.deepEqual(got, [wrap.id]);
    for (const s of subs) s.close();
  });

  it('answers EOSE for an empty result', async () => {
    assert.deepEqual(await query(client, [{ kinds: [14], authors: [keypair().pubkey] }]), []);
  });

  it('honours NIP-40: refuses expired events, stops serving and purges events once they expire', async () => {
    const author = keypair();
    await assert.rejects(
      client.publish(signed(author.secret, { kind: 1059, tags: [['expiration', String(now() - 1)]] })),
      /expired/,
    );
    const soon = signed(author.secret, { kind: 1059, tags: [['expiration', String(now() + 1)]] });
    const later = signed(author.secret, { kind: 1059, tags: [['expiration', String(now() + 3600)]] });
    await client.publish(soon);
    await client.publish(later);
    await new Promise((resolve) => setTimeout(resolve, (now() + 2 - Date.now() / 1000) * 1000));
    assert.deepEqual(
      (await query(client, [{ authors: [author.pubkey] }])).map((e) => e.id),
      [later.id],
    );
    assert.ok(relay.purgeExpired() >= 1);
    assert.equal(relay.purgeExpired(), 0);
    assert.deepEqual(
      (await query(client, [{ authors: [author.pubkey] }])).map((e) => e.id),
      [later.id],
    );
  });

  it('refuses events with a bad signature or id', async () => {
    const event = signed(alice.secret, { kind: 14, tags: [['p', bob.pubkey]] });
    await assert.rejects(
      client.publish({ ...event, sig: event.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) }),
      /signature/,
    );
    await assert.rejects(client.publish({ ...event, content: 'tampered' }), /id/);
  });

  it('answers garbage frames with a NOTICE and keeps the connection usable', async () => {
    const socket = await rawSocket(relay.url);
    for (const frame of [
      'not json',
      '{}',
      '[]',
      '["EVENT"]',
      '["EVENT",{"id":"zz"}]',
      '["REQ"]',
      '["REQ","s"]',
      '["REQ","s",{"kinds":"x"}]',
      '["REQ","s",{"unknown":1}]',
      '["CLOSE",42]',
      '["WHAT","x"]',
      '[1,2,3]',
      JSON.stringify(['REQ', 'x'.repeat(65), {}]),
    ]) {
      socket.send(frame);
      const answer = (await socket.next()) as unknown[];
      assert.equal(answer[0], 'NOTICE', `frame ${frame}`);
    }
    socket.send(Buffer.from([0xff, 0x00]));
    socket.send(JSON.stringify(['REQ', 'ok', { limit: 0 }]));
    let answer = (await socket.next()) as unknown[];
    if (answer[0] === 'NOTICE') answer = (await socket.next()) as unknown[];
    assert.deepEqual(answer, ['EOSE', 'ok']);
    socket.close();
  });
});

describe('embedded relay with a database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mostro-relay-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps events across a restart on the same port', async () => {
    const dbPath = join(dir, 'relay.db');
    const author = keypair();
    const first = await startEmbeddedRelay({ dbPath });
    const client = await connect(first.url);
    const order = signed(author.secret, {
      kind: 38383,
      tags: [
        ['d', 'order'],
        ['s', 'pending'],
      ],
    });
    const dm = signed(author.secret, { kind: 14, tags: [['p', author.pubkey]] });
    await client.publish(order);
    await client.publish(dm);
    client.close();
    await first.close();

    const second = await startEmbeddedRelay({ dbPath, port: first.port });
    assert.equal(second.url, first.url);
    const again = await connect(second.url);
    const stored = await query(again, [{ authors: [author.pubkey] }]);
    assert.deepEqual(stored.map((e) => e.id).sort(), [order.id, dm.id].sort());
    again.close();
    await second.close();
  });

  it('closes idempotently and frees the port', async () => {
    const relay = await startEmbeddedRelay();
    await Promise.all([relay.close(), relay.close()]);
    const again = await startEmbeddedRelay({ port: relay.port });
    assert.equal(again.port, relay.port);
    await again.close();
  });

  it('reports a port already in use as an error', async () => {
    const relay = await startEmbeddedRelay();
    await assert.rejects(startEmbeddedRelay({ port: relay.port }), /EADDRINUSE/);
    await relay.close();
  });
});

describe('expired-event purge', () => {
  it('deletes only events whose numeric expiration has passed', async () => {
    const relay = await startEmbeddedRelay({ purgeIntervalMs: 0 });
    const client = await connect(relay.url);
    const author = keypair();
    const soon = signed(author.secret, { kind: 14, tags: [['expiration', String(now() + 1)]] });
    const odd = signed(author.secret, { kind: 14, tags: [['expiration', 'never']] });
    const empty = signed(author.secret, { kind: 14, tags: [['expiration', '']] });
    const none = signed(author.secret, { kind: 14, tags: [['p', author.pubkey]] });
    for (const event of [soon, odd, empty, none]) await client.publish(event);
    await new Promise((resolve) => setTimeout(resolve, (now() + 2 - Date.now() / 1000) * 1000));
    assert.equal(relay.purgeExpired(), 1);
    const left = await query(client, [{ authors: [author.pubkey] }]);
    assert.deepEqual(left.map((e) => e.id).sort(), [odd.id, empty.id, none.id].sort());
    client.close();
    await relay.close();
  });
});
