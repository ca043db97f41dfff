// Restore reports where it stands (the six stages a person sees, or "no previous data"), and the
// nodes a set of relays knows are listed from their info events, with their maintenance state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Message, newMessage, publicKeyOf, signEvent, unwrapMessage } from '@mostro/protocol';
import { MostroClient, type RestoreProgress } from '../src/client.ts';
import { ClientError } from '../src/errors.ts';
import { discoverNodes, newestNodeInfos } from '../src/node/discover.ts';
import { parseNodeInfo } from '../src/node/info.ts';
import { Session } from '../src/session/session.ts';
import { MemorySessionStore } from '../src/session/store.ts';
import { MemoryRelay, replyAsNode } from './memory-relay.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const nodeSk = new Uint8Array(32).fill(5);
const node = publicKeyOf(nodeSk);
const ORDER = '308e1272-d5f4-47e6-bd97-3504baea9c23';

const infoEvent = (sk: Uint8Array, createdAt: number, extra: string[][] = [], d?: string) =>
  signEvent(
    {
      kind: 38385,
      created_at: createdAt,
      content: '',
      tags: [['d', d ?? publicKeyOf(sk)], ['protocol_version', '2'], ['fee', '0.006'], ...extra],
    },
    sk,
  );

/** Plays the node: answers each restore request with what `answer` returns for its action. */
function playNode(relay: MemoryRelay, answer: (m: Message) => Message) {
  relay.onPublish = (e) => {
    if (e.pubkey === node) return;
    const u = unwrapMessage(e, nodeSk);
    if (!u?.ok) return;
    const reply = answer(u.message);
    replyAsNode(relay, nodeSk, u.sender, reply);
  };
}

async function setup() {
  const relay = new MemoryRelay();
  await relay.publish(infoEvent(nodeSk, Math.floor(Date.now() / 1000)));
  const session = await Session.create(new MemorySessionStore(), 'pw', { scrypt: FAST });
  const client = new MostroClient({ session, pool: relay, node, timeoutMs: 2000 });
  return { relay, session, client };
}

describe('restore progress', () => {
  it('reports the six stages in order and ends with the trade rebuilt', async () => {
    const { relay, session, client } = await setup();
    const myKey = session.key(2).publicKey;
    playNode(relay, (m) => {
      const { action, request_id } = m.kind;
      if (action === 'last-trade-index') return newMessage('restore', { action, request_id, trade_index: 2 });
      if (action === 'restore-session')
        return newMessage('restore', {
          action,
          request_id,
          payload: {
            restore_data: {
              orders: [
                { order_id: ORDER, trade_index: 2, status: 'active', counterparty_trade_pubkey: 'ab'.repeat(32) },
              ],
              disputes: [],
            },
          },
        });
      return newMessage('order', {
        action: 'orders',
        request_id,
        payload: {
          orders: [
            {
              id: ORDER,
              kind: 'sell',
              status: 'active',
              amount: 20000,
              fiat_code: 'USD',
              min_amount: null,
              max_amount: null,
              fiat_amount: 50,
              payment_method: 'bank',
              premium: 0,
              seller_trade_pubkey: myKey,
              buyer_trade_pubkey: 'ab'.repeat(32),
              created_at: Math.floor(Date.now() / 1000) - 600,
              expires_at: null,
            },
          ],
        },
      });
    });
    const seen: RestoreProgress[] = [];
    const r = await client.restore({ onProgress: (p) => seen.push(p) });
    assert.deepEqual(
      [...new Set(seen.map((p) => p.stage))],
      ['requesting', 'receiving-orders', 'loading-details', 'processing-roles', 'finalizing', 'completed'],
    );
    assert.deepEqual(seen.at(-1), { stage: 'completed', trades: 1 });
    assert.deepEqual(
      seen.find((p) => p.stage === 'receiving-orders'),
      { stage: 'receiving-orders', orders: 1 },
    );
    assert.equal(r.trades.length, 1);
    assert.equal(r.trades[0]?.side, 'seller', 'the role comes from the details: my key is the seller');
    assert.equal(r.trades[0]?.counterpartyPubkey, 'ab'.repeat(32));
  });

  it('a node with nothing for me ends in "no previous data", and a throwing callback changes nothing', async () => {
    const { relay, client } = await setup();
    playNode(relay, (m) => {
      const { action, request_id } = m.kind;
      if (action === 'last-trade-index') return newMessage('restore', { action, request_id, trade_index: 0 });
      return newMessage('restore', { action, request_id, payload: { restore_data: { orders: [], disputes: [] } } });
    });
    const seen: string[] = [];
    const r = await client.restore({
      onProgress: (p) => {
        seen.push(p.stage);
        throw new Error('a broken display');
      },
    });
    assert.equal(seen.at(-1), 'no-previous-data');
    assert.ok(!seen.includes('completed'));
    assert.equal(r.trades.length, 0);
  });
});

describe('restore refused', () => {
  it('a node that answers invalid_trade_index: the restore fails with that reason, for the screen to say so', async () => {
    const { relay, client } = await setup();
    playNode(relay, (m) => {
      const { action, request_id } = m.kind;
      if (action === 'last-trade-index') return newMessage('restore', { action, request_id, trade_index: 4 });
      return newMessage('cant-do', { action: 'cant-do', request_id, payload: { cant_do: 'invalid_trade_index' } });
    });
    const seen: string[] = [];
    await assert.rejects(
      client.restore({ onProgress: (p) => seen.push(p.stage) }),
      (e) => e instanceof ClientError && e.code === 'cant_do' && e.detail === 'invalid_trade_index',
    );
    assert.deepEqual(seen, ['requesting'], 'no stage after the refusal');
  });
});

describe('node discovery', () => {
  const a = new Uint8Array(32).fill(11);
  const b = new Uint8Array(32).fill(12);

  it('lists each node once with its newest info, and ignores info speaking for another node', async () => {
    const relay = new MemoryRelay();
    await relay.publish(infoEvent(a, 100, [['y', 'mostro', 'Old name']]));
    await relay.publish(
      infoEvent(a, 200, [
        ['y', 'mostro', 'Node A'],
        ['maintenance_mode', 'true'],
      ]),
    );
    await relay.publish(
      infoEvent(b, 150, [
        ['fiat_currencies_accepted', 'USD,EUR'],
        ['mostro_version', '0.20.2'],
      ]),
    );
    await relay.publish(infoEvent(b, 300, [['y', 'mostro', 'Impostor']], publicKeyOf(a)));
    const nodes = await discoverNodes(relay, { timeoutMs: 1000 });
    assert.deepEqual(
      nodes.map((n) => [n.pubkey, n.name, n.maintenance]),
      [
        [publicKeyOf(a), 'Node A', true],
        [publicKeyOf(b), null, null],
      ],
    );
    assert.deepEqual(nodes[1]?.fiatCurrencies, ['USD', 'EUR']);
    assert.equal(nodes[1]?.version, '0.20.2');
    assert.deepEqual(newestNodeInfos([]), []);
  });

  it('reads maintenance_mode: true, false, or absent (a node before 0.20)', () => {
    const m = (tags: string[][]) => parseNodeInfo(infoEvent(a, 1, tags))?.maintenance;
    assert.equal(m([['maintenance_mode', 'true']]), true);
    assert.equal(m([['maintenance_mode', 'false']]), false);
    assert.equal(m([]), null);
  });
});
