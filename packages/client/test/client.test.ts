// MostroClient in-process, over an in-memory relay: reply matching by request_id, the trade record
// driven by the replies, and a timeout that names proof of work when the node demands it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type NostrEvent, newMessage, publicKeyOf, signEvent, unwrapMessage } from '@mostro/protocol';
import { MostroClient } from '../src/client.ts';
import { ClientError } from '../src/errors.ts';
import { Session } from '../src/session/session.ts';
import { MemorySessionStore } from '../src/session/store.ts';
import { MemoryRelay, replyAsNode } from './memory-relay.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

const nodeSk = new Uint8Array(32).fill(7);
const node = publicKeyOf(nodeSk);

function info(pow: number): NostrEvent {
  return signEvent(
    {
      kind: 38385,
      created_at: Math.floor(Date.now() / 1000),
      content: '',
      tags: [
        ['d', node],
        ['protocol_version', '2'],
        ['pow', String(pow)],
        ['fee', '0.006'],
      ],
    },
    nodeSk,
  );
}

async function setup(pow: number) {
  const relay = new MemoryRelay();
  await relay.publish(info(pow));
  const session = await Session.create(new MemorySessionStore(), 'pw', { scrypt: FAST });
  const client = new MostroClient({ session, pool: relay, node, timeoutMs: 400 });
  return { relay, session, client };
}

describe('MostroClient', () => {
  it('creates an order: index reserved first, reply matched by request_id, trade recorded', async () => {
    const { relay, session, client } = await setup(0);
    const seen: string[] = [];
    relay.onPublish = (e) => {
      if (e.pubkey === node) return;
      const u = unwrapMessage(e, nodeSk);
      assert.ok(u?.ok);
      seen.push(u.message.kind.action);
      assert.equal(session.data.lastTradeIndex, 1, 'the index was persisted before sending');
      assert.notEqual(u.identity, u.sender, 'reputation mode proves the identity');
      const order = u.message.kind.payload && 'order' in u.message.kind.payload ? u.message.kind.payload.order : null;
      // A decoy first: same action, another request_id.
      for (const rid of [999n, u.message.kind.request_id]) {
        const reply = newMessage('order', {
          action: 'new-order',
          id: rid === 999n ? '00000000-0000-4000-8000-000000000000' : '308e1272-d5f4-47e6-bd97-3504baea9c23',
          request_id: rid,
          trade_index: 1,
          payload: {
            order: {
              ...(order as object),
              id: '308e1272-d5f4-47e6-bd97-3504baea9c23',
              status: 'pending',
              created_at: 1,
              expires_at: 99,
            } as never,
          },
        });
        replyAsNode(relay, nodeSk, u.sender, reply);
      }
    };
    const t = await client.newOrder({
      kind: 'sell',
      fiatCode: 'EUR',
      fiatAmount: 50,
      paymentMethod: 'SEPA',
      amount: 10_000,
    });
    assert.deepEqual(seen, ['new-order']);
    assert.equal(t.orderId, '308e1272-d5f4-47e6-bd97-3504baea9c23');
    assert.equal(t.tradeIndex, 1);
    assert.equal(t.side, 'seller');
    assert.equal(session.data.trades[t.orderId]?.status, 'pending');
  });

  it('full private: no identity proof, no trade index on the wire', async () => {
    const { relay, session } = await setup(0);
    const client = new MostroClient({ session, pool: relay, node, timeoutMs: 300, privacy: 'full-private' });
    let checked = false;
    relay.onPublish = (e) => {
      if (e.pubkey === node) return;
      const u = unwrapMessage(e, nodeSk);
      assert.ok(u?.ok);
      assert.equal(u.identity, u.sender);
      assert.equal(u.message.kind.trade_index, null);
      assert.ok(!JSON.stringify(u.layers).includes(session.identity().publicKey), 'the identity key appears nowhere');
      checked = true;
    };
    await assert.rejects(client.newOrder({ kind: 'buy', fiatCode: 'EUR', fiatAmount: [10, 20], paymentMethod: 'x' }));
    assert.ok(checked);
  });

  it('times out with a message that names the wait and the proof of work', async () => {
    const { client, relay } = await setup(4);
    let mined = 0;
    relay.onPublish = (e) => {
      if (e.pubkey !== node) mined = Number(e.tags.find((t) => t[0] === 'nonce')?.[2] ?? 0);
    };
    await assert.rejects(
      client.newOrder({ kind: 'sell', fiatCode: 'EUR', fiatAmount: 50, paymentMethod: 'SEPA' }),
      (e: unknown) =>
        e instanceof ClientError &&
        e.code === 'timeout' &&
        /new order/.test(e.message) &&
        /proof of work \(4 bits\)/.test(e.message),
    );
    assert.equal(mined, 4, 'the outer event carries the PoW the node asked for');
  });

  it('reputation(): user-info from a one-time key with an identity proof, restore wrapper; the reply is the user_info', async () => {
    const { relay, session, client } = await setup(0);
    let asked: { wrapper: string; identity: string; sender: string } | null = null;
    relay.onPublish = (e) => {
      if (e.pubkey === node) return;
      const u = unwrapMessage(e, nodeSk);
      assert.ok(u?.ok);
      asked = { wrapper: u.message.wrapper, identity: u.identity, sender: u.sender };
      assert.equal(u.message.kind.action, 'user-info');
      const reply = newMessage('restore', {
        action: 'user-info',
        request_id: u.message.kind.request_id,
        payload: { user_info: { rating: 4.8, reviews: 23, operating_days: 142, since: 1_700_784_000 } },
      });
      replyAsNode(relay, nodeSk, u.sender, reply);
    };
    const rep = await client.reputation();
    assert.deepEqual(rep, { rating: 4.8, reviews: 23, operating_days: 142, since: 1_700_784_000 });
    assert.ok(asked);
    const a = asked as { wrapper: string; identity: string; sender: string };
    assert.equal(a.wrapper, 'restore');
    assert.notEqual(a.identity, a.sender, 'a one-time trade key, proven to speak for the identity');
    assert.equal(a.identity, session.identity().publicKey);
  });
});
