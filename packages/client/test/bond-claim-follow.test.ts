// The winner of a slashed bond claims its share after the trade ended (canceled by a solver): the
// node accepts the invoice, pays it in the background and confirms the payout later. The claim's
// request ends at the acceptance, so the confirmation must reach the trade through `watch`, which
// follows an ended trade while its claim is unpaid (the web client showed "paying" for ever when
// the confirmation came after the request's subscription closed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newMessage, publicKeyOf, type SmallOrder, signEvent, unwrapMessage } from '@mostro/protocol';
import { MostroClient } from '../src/client.ts';
import { Session } from '../src/session/session.ts';
import { MemorySessionStore } from '../src/session/store.ts';
import type { TradeStep } from '../src/trade/machine.ts';
import { newTrade } from '../src/trade/machine.ts';
import { awaitsNode, type TradeRecord } from '../src/trade/types.ts';
import { MemoryRelay, replyAsNode } from './memory-relay.ts';

const nodeSk = new Uint8Array(32).fill(9);
const node = publicKeyOf(nodeSk);
const ID = '0b6c3a52-51f4-4a8e-9d1c-2f5d2f0e8a11';
const share: SmallOrder = {
  id: ID,
  kind: 'sell',
  status: 'canceled-by-admin',
  amount: 500,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 10,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 1000,
  expires_at: null,
};

async function wonClaim() {
  const relay = new MemoryRelay();
  const now = Math.floor(Date.now() / 1000);
  const info = {
    kind: 38385,
    created_at: now,
    content: '',
    tags: [
      ['d', node],
      ['protocol_version', '2'],
    ],
  };
  await relay.publish(signEvent(info, nodeSk));
  const session = await Session.create(new MemorySessionStore(), 'pw', { scrypt: { N: 2 ** 10, r: 8, p: 1 } });
  await session.update((d) => {
    d.lastTradeIndex = 1;
    d.trades[ID] = {
      ...newTrade({
        orderId: ID,
        nodePubkey: node,
        role: 'maker',
        kind: 'sell',
        tradeIndex: 1,
        fullPrivate: false,
        now,
      }),
      status: 'canceled-by-admin',
      next: 'add-bond-invoice',
      bondClaim: { amountSats: 500, slashedAt: now - 5, state: 'to-claim' },
    };
  });
  const client = new MostroClient({ session, pool: relay, node, timeoutMs: 2000 });
  return { relay, session, client };
}

describe('a bond claim after the trade ended', () => {
  it('awaitsNode: an ended trade is followed while its claim is unpaid, not once it is paid', () => {
    const ended = { status: 'canceled-by-admin' as const };
    assert.equal(awaitsNode({ ...ended, bondClaim: null }), false);
    assert.equal(awaitsNode({ ...ended, bondClaim: { amountSats: 1, slashedAt: 1, state: 'to-claim' } }), true);
    assert.equal(awaitsNode({ ...ended, bondClaim: { amountSats: 1, slashedAt: 1, state: 'accepted' } }), true);
    assert.equal(awaitsNode({ ...ended, bondClaim: { amountSats: 1, slashedAt: 1, state: 'paid' } }), false);
    assert.equal(awaitsNode({ status: 'active', bondClaim: null }), true);
  });

  it('the payout confirmed after the claim request ended reaches the trade through watch', async () => {
    const { relay, session, client } = await wonClaim();
    let claimant = '';
    relay.onPublish = (e) => {
      if (e.pubkey === node) return;
      const u = unwrapMessage(e, nodeSk);
      if (!u?.ok || u.message.kind.action !== 'add-bond-invoice') return;
      claimant = u.sender;
      const accepted = newMessage('order', {
        action: 'bond-invoice-accepted',
        id: ID,
        request_id: u.message.kind.request_id,
        payload: { order: share },
      });
      replyAsNode(relay, nodeSk, u.sender, accepted);
    };
    const afterClaim = await client.claimBond(ID, 'lnbcrt5u1share');
    assert.equal(afterClaim.bondClaim?.state, 'accepted');

    const steps: TradeStep[] = [];
    const sub = await client.watch((_t, s) => steps.push(s));
    try {
      // The background payment finishes after the request's subscription closed.
      replyAsNode(
        relay,
        nodeSk,
        claimant,
        newMessage('order', { action: 'bond-payout-completed', id: ID, payload: { order: share } }),
      );
      for (let i = 0; i < 50 && session.data.trades[ID]?.bondClaim?.state !== 'paid'; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const trade = session.data.trades[ID] as TradeRecord;
      assert.equal(trade.bondClaim?.state, 'paid');
      assert.equal(trade.next, 'none');
      assert.ok(steps.some((s) => s.summary.includes('500 sats paid to you') && !s.replayed));
    } finally {
      sub.close();
    }
    // A second watch (the web client restarts it after every action) replays what was applied:
    // reported, marked replayed, so it is not announced twice. The paid claim ends the follow.
    await session.update((d) => {
      const t = d.trades[ID] as TradeRecord;
      d.trades[ID] = { ...t, bondClaim: { ...t.bondClaim!, state: 'accepted' } };
    });
    const again: TradeStep[] = [];
    const second = await client.watch((_t, s) => again.push(s));
    second.close();
    assert.ok(again.length > 0, 'the stored messages were replayed');
    assert.ok(again.every((s) => s.replayed === true));
  });
});
