// Our relay pool against a relay nobody here wrote: nostr-rs-relay, built from crates.io
// (scripts/relay/nostr-rs-relay.mjs; the first run builds it, which takes minutes).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Filter, RelayPool } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import type { NostrEvent } from 'nostr-tools/pure';
import { type NostrRsRelay, startNostrRsRelay } from '../../../../scripts/relay/nostr-rs-relay.mjs';
import { keypair, now, signed } from './nostr-fixtures.ts';

function readBack(pool: RelayPool, filters: Filter[]): Promise<NostrEvent[]> {
  return new Promise((resolve) => {
    const events: NostrEvent[] = [];
    const sub = pool.subscribe(filters, {
      onevent: (event) => events.push(event),
      oneose: () => {
        sub.close();
        resolve(events);
      },
    });
  });
}

describe('nostr-rs-relay through our relay pool', () => {
  let relay: NostrRsRelay;
  let pool: RelayPool;

  before(
    async () => {
      relay = await startNostrRsRelay();
      pool = nodeRelayPool({ relays: [relay.url] });
      await pool.ready();
    },
    { timeout: 45 * 60_000 },
  );
  after(async () => {
    pool?.close();
    await relay?.close();
  });

  it('connects on 127.0.0.1', () => {
    assert.match(relay.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(pool.status(relay.url), 'connected');
  });

  for (const kind of [14, 1059]) {
    it(`publishes and reads back kind ${kind} by #p`, async () => {
      const sender = keypair();
      const recipient = keypair();
      const event = signed(sender.secret, {
        kind,
        tags: [['p', recipient.pubkey]],
        content: 'opaque',
        created_at: kind === 1059 ? now() - 3600 : now(),
      });
      const [result] = await pool.publish(event);
      assert.equal(result?.ok, true, result && !result.ok ? result.message : '');
      const back = await readBack(pool, [{ kinds: [kind], '#p': [recipient.pubkey] }]);
      assert.deepEqual(
        back.map((e) => e.id),
        [event.id],
      );
      assert.equal(back[0]!.sig, event.sig);
    });
  }

  it('delivers a live kind 1059 to a #p subscription and not to another recipient', async () => {
    const me = keypair();
    const other = keypair();
    const mine: string[] = [];
    let live!: (event: NostrEvent) => void;
    const arrived = new Promise<NostrEvent>((resolve) => {
      live = resolve;
    });
    let eose!: () => void;
    const ready = new Promise<void>((resolve) => {
      eose = resolve;
    });
    const sub = pool.subscribe([{ kinds: [1059], '#p': [me.pubkey] }], {
      onevent: (event) => {
        mine.push(event.id);
        live(event);
      },
      oneose: eose,
    });
    await ready;
    const notMine = signed(keypair().secret, { kind: 1059, tags: [['p', other.pubkey]] });
    const wrap = signed(keypair().secret, { kind: 1059, tags: [['p', me.pubkey]] });
    await pool.publish(notMine);
    await pool.publish(wrap);
    assert.equal((await arrived).id, wrap.id);
    sub.close();
    assert.deepEqual(mine, [wrap.id]);
  });

  it('keeps only the newest revision of a 38383 order event per d tag', async () => {
    const node = keypair();
    const t = now();
    const pending = signed(node.secret, {
      kind: 38383,
      tags: [
        ['d', 'order-1'],
        ['k', 'sell'],
        ['s', 'pending'],
      ],
      created_at: t - 2,
    });
    const active = signed(node.secret, {
      kind: 38383,
      tags: [
        ['d', 'order-1'],
        ['k', 'sell'],
        ['s', 'active'],
      ],
      created_at: t - 1,
    });
    const other = signed(node.secret, {
      kind: 38383,
      tags: [
        ['d', 'order-2'],
        ['k', 'buy'],
        ['s', 'pending'],
      ],
      created_at: t - 2,
    });
    for (const event of [pending, active, other]) {
      const [result] = await pool.publish(event);
      assert.equal(result?.ok, true, result && !result.ok ? result.message : '');
    }
    const back = await readBack(pool, [{ kinds: [38383], authors: [node.pubkey] }]);
    assert.deepEqual(back.map((e) => e.id).sort(), [active.id, other.id].sort());
    const byD = await readBack(pool, [{ kinds: [38383], authors: [node.pubkey], '#d': ['order-1'] }]);
    assert.deepEqual(
      byD.map((e) => e.id),
      [active.id],
    );
  });
});
