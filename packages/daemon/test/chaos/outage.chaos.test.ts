// A relay down for 60 s (MOSTRO_CHAOS_OUTAGE_SECONDS) and a node restart with requests sent
// meanwhile (issue 13): what the node had to send during the outage reaches the parties when the
// relay is back, requests sent at +0 s and +3 s after it came back are processed, the order's new
// revision reaches the relay, and requests the relay stored while the node was down are caught up
// after its restart — every one processed exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SmallOrder } from '@mostro/protocol';
import { queryRelay, tag } from '../support/relay-query.ts';
import { TestUser } from '../support/test-user.ts';
import { SimWallet } from '../support/wallet.ts';
import {
  CHAOS_AMOUNT,
  CHAOS_FEE,
  CHAOS_WAIT,
  chaosOrder,
  hasPaymentRequest,
  MostrodProcess,
  publishChaosOrder,
  StoppableRelay,
  takeSellWithInvoice,
} from './support.ts';

const OUTAGE_SECONDS = Number(process.env.MOSTRO_CHAOS_OUTAGE_SECONDS ?? 60);
// The node's share pays the payout's routing: with a fee of 0 the node's (simulated) wallet holds
// exactly the hold amount and cannot pay amount + routing ("insufficient balance").
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventuallyValue<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(500);
  }
}

/** The users' own connections come back with backoff too: publish as soon as theirs is up. */
async function whenUp<T>(send: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

describe('chaos: relay outage and node restart', { timeout: 10 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mostro-chaos-outage-'));
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`a relay down for ${OUTAGE_SECONDS} s, then a node restart with requests sent meanwhile`, async () => {
    const relay = await StoppableRelay.start(dir);
    cleanups.push(() => relay.down());
    const node = await MostrodProcess.create(relay.url, { MOSTRO_MOSTRO_FEE: '0.006' });
    cleanups.push(() => node.close());
    const user = async () => {
      const u = new TestUser({ relays: [relay.url], nodePubkey: node.pubkey });
      cleanups.push(() => u.close());
      await u.listen();
      return u;
    };
    const seller = await user();
    const buyer = await user();
    const late = await user();
    const sellerWallet = new SimWallet(node.walletUrl, 'seller');
    const buyerWallet = new SimWallet(node.walletUrl, 'buyer');
    await sellerWallet.fund(100_000);

    const { id, key: s } = await publishChaosOrder(seller, 'sell');
    const b = await takeSellWithInvoice(buyer, buyerWallet, id);
    const [, hold] = (
      (await seller.waitFor(hasPaymentRequest, CHAOS_WAIT)).message.kind.payload as {
        payment_request: [SmallOrder, string, null];
      }
    ).payment_request;

    // The outage: the seller pays meanwhile (over the wallet API); the node's answers must wait.
    await relay.down();
    await sellerWallet.pay(hold);
    await node.waitStatus(id, ['active']);
    await sleep(OUTAGE_SECONDS * 1000);
    await relay.up();
    const backAt = Date.now();
    // Requests right after the relay is back: +0 s and +3 s.
    await whenUp(() => buyer.send(b.index, { action: 'fiat-sent', id }));
    await sleep(Math.max(0, backAt + 3000 - Date.now()));
    const l1 = late.next();
    await whenUp(() =>
      late.send(l1.index, { action: 'new-order', trade_index: l1.index, payload: { order: chaosOrder('buy', 7000) } }),
    );

    await seller.waitFor('buyer-took-order', CHAOS_WAIT);
    await buyer.waitFor('hold-invoice-payment-accepted', CHAOS_WAIT);
    await seller.waitFor('fiat-sent-ok', CHAOS_WAIT);
    await buyer.waitFor('fiat-sent-ok', CHAOS_WAIT);
    await late.waitFor('new-order', CHAOS_WAIT);
    // A relay that comes back gets the latest revision of every open order again.
    const revisions = await eventuallyValue(async () => {
      const found = await queryRelay([relay.url], { kinds: [38383], '#d': [id] });
      // A taken order's revision is published once (orders leave the book once):
      // what proves the republication is a revision dated after the relay came back.
      return found.some((e) => e.created_at >= Math.floor(backAt / 1000) - 1) ? found : undefined;
    }, CHAOS_WAIT).catch(async (error) => {
      const found = await queryRelay([relay.url], { kinds: [38383], '#d': [id] });
      const rows = node.query('SELECT lane, attempts, last_error FROM outbox');
      throw new Error(
        `${error}: relay has ${JSON.stringify(found.map((e) => [e.created_at, tag(e, 's')]))}; outbox ${JSON.stringify(rows)}`,
      );
    });
    assert.ok(revisions.length >= 1);

    // The node dies; requests are sent while it is down and stored by the relay.
    await node.kill9();
    await seller.send(s.index, { action: 'release', id });
    const l2 = late.next();
    await late.send(l2.index, {
      action: 'new-order',
      trade_index: l2.index,
      payload: { order: chaosOrder('buy', 8000) },
    });
    await sleep(12_000);
    await node.start();
    await buyer.waitFor('released', CHAOS_WAIT);
    await buyer.waitFor('purchase-completed', CHAOS_WAIT).catch((error) => {
      const payout = node.query<{ step: string; detail: string }>(
        "SELECT step, detail FROM escrow_journal WHERE order_id = ? AND step LIKE 'payout%' ORDER BY seq",
        id,
      );
      throw new Error(`${error}: payout journal ${JSON.stringify(payout)}`);
    });
    await seller.waitFor('hold-invoice-payment-settled', CHAOS_WAIT);
    await late.waitFor('new-order', CHAOS_WAIT);
    await node.waitStatus(id, ['success'], CHAOS_WAIT);
    const final = await eventuallyValue(async () => {
      const found = await queryRelay([relay.url], { kinds: [38383], '#d': [id] });
      return found.find((e) => tag(e, 's')?.[1] === 'success');
    }, CHAOS_WAIT);
    assert.ok(final, 'the success revision reached the relay');

    // Exactly once: one order per new-order, one processed row per request, one payout.
    const orders = node.query<{ amount: number }>('SELECT amount FROM orders WHERE kind = ? ORDER BY amount', 'buy');
    assert.deepEqual(
      orders.map((o) => o.amount),
      [7000, 8000],
    );
    assert.equal(await buyerWallet.balance(), CHAOS_AMOUNT - CHAOS_FEE, 'paid amount − fee, once');
    await node.restartAfterKill(); // the stored requests again: all replays now
    await sleep(3000);
    assert.equal(node.query('SELECT id FROM orders WHERE kind = ?', 'buy').length, 2, 'nothing processed twice');
    const replies = late.received.filter((r) => r.message.kind.action === 'new-order');
    assert.equal(replies.length, 2, 'one reply per request');
  });
});
