// Bad input never crashes a handler and never changes an order: strangers and malformed payloads
// against the trade actions, in every state of a trade.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action, Payload } from '@mostro/protocol';
import type { LnurlResolver } from '../../src/escrow/lnurl.ts';
import { Harness, type User } from './harness.ts';

const ACTIONS: Action[] = ['take-sell', 'take-buy', 'add-invoice', 'fiat-sent', 'release', 'trade-pubkey', 'cancel'];
const GARBAGE: (Payload | null)[] = [
  null,
  { amount: -5 },
  { amount: 1e12 },
  { payment_request: [null, 'garbage', null] },
  { payment_request: [null, '', null] },
  { payment_request: [null, 'nobody@unreachable.invalid', 7] },
  { payment_request: [null, 'lnbcrt1qqqqqqqq', -1] },
  { next_trade: ['zz', 1] },
  { text_message: 'hi' },
  { rating_user: 9 },
];

const offline: LnurlResolver = {
  check: async () => 'unreachable',
  invoice: async () => ({ ok: false, reason: 'unreachable' }),
};

async function statesOfATrade(h: Harness, seller: User, buyer: User): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  ids.pending = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
  const step = async (name: string, run: (id: string) => Promise<void>) => {
    h.rotate(seller);
    // A fresh buyer identity each time: one waiting take per identity (§5.2).
    Object.assign(buyer, h.user('buyer'));
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    await run(id);
    assert.equal(h.order(id).status, name);
    ids[name] = id;
  };
  const take = (id: string) =>
    h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
  await step('waiting-buyer-invoice', async (id) => {
    await h.send(buyer, 'take-sell', { id });
  });
  await step('waiting-payment', async (id) => {
    await take(id);
  });
  await step('active', async (id) => {
    await take(id);
    await h.sellerPays(seller);
  });
  await step('fiat-sent', async (id) => {
    await take(id);
    await h.sellerPays(seller);
    await h.send(buyer, 'fiat-sent', { id });
  });
  await step('success', async (id) => {
    await take(id);
    await h.sellerPays(seller);
    await h.send(buyer, 'fiat-sent', { id });
    await h.send(seller, 'release', { id });
  });
  return ids;
}

describe('bad input', () => {
  it('strangers and garbage payloads: no internal error, no change', async () => {
    const h = new Harness({ resolver: offline });
    try {
      const seller = h.user('seller');
      const buyer = h.user('buyer');
      const ids = await statesOfATrade(h, seller, buyer);
      const stranger = h.user('stranger');
      for (const [state, id] of Object.entries(ids)) {
        for (const action of ACTIONS) {
          // Taking a pending order is what a stranger may do (checked elsewhere).
          if (state === 'pending' && action === 'take-sell') continue;
          for (const payload of GARBAGE) {
            const before = h.order(id);
            const outcome = await h.send(stranger, action, { id, payload });
            const where = `${action} ${JSON.stringify(payload)} on ${state}`;
            assert.notEqual(outcome, 'internal-error', where);
            assert.notEqual(outcome, 'handled', `a stranger's ${where}`);
            assert.deepEqual(h.order(id), before, where);
          }
        }
        // The parties themselves with payloads that cannot be right.
        for (const [who, action, payload] of [
          [buyer, 'add-invoice', { payment_request: [null, 'garbage', null] }],
          [buyer, 'add-invoice', { payment_request: [null, 'nobody@unreachable.invalid', null] }],
          [buyer, 'fiat-sent', { next_trade: ['zz', 1] }],
          [seller, 'release', { next_trade: ['zz', 1] }],
          [buyer, 'take-buy', { amount: -1 }],
        ] as [User, Action, Payload][]) {
          const before = h.order(id);
          const outcome = await h.send(who, action, { id, payload });
          assert.ok(outcome === 'cant-do' || outcome === 'ignored', `${who.name} ${action} on ${state}: ${outcome}`);
          assert.deepEqual(h.order(id), before, `${who.name} ${action} on ${state}`);
        }
      }
      h.assertNoErrors();
      await h.assertInvariant();
    } finally {
      h.close();
    }
  });
});
