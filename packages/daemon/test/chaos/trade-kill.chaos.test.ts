// kill -9 of a real mostrod at every step of a sell and a buy trade (issue 13): after each step the
// node is killed as soon as its database shows the new state, then started again on the same data.
// With the durable outbox every party still receives every message of every step (exactly once per
// event id), the trade completes, and the money adds up: the buyer gets amount − fee once, the
// seller pays amount + fee (+ its own routing). One kill is made deterministic: the seller pays the
// hold invoice while the relay is down, so the node's announcements can only be in its outbox when
// it dies — the case where a trade used to get stuck.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SmallOrder } from '@mostro/protocol';
import { TestUser } from '../support/test-user.ts';
import { SimWallet } from '../support/wallet.ts';
import {
  CHAOS_AMOUNT,
  CHAOS_FEE,
  CHAOS_WAIT,
  hasPaymentRequest,
  MostrodProcess,
  publishChaosOrder,
  StoppableRelay,
  takeSellWithInvoice,
} from './support.ts';

function assertOncePerEvent(user: TestUser, who: string): void {
  const ids = user.received.map((r) => r.event.id);
  assert.equal(new Set(ids).size, ids.length, `${who} received no event twice`);
}

describe('chaos: kill -9 of mostrod at every step of a trade', { timeout: 15 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mostro-chaos-kill-'));
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(): Promise<{
    relay: StoppableRelay;
    node: MostrodProcess;
    user(t?: 'nip44' | 'gift-wrap'): Promise<TestUser>;
  }> {
    const relay = await StoppableRelay.start(mkdtempSync(join(dir, 'r-')));
    cleanups.push(() => relay.down());
    const node = await MostrodProcess.create(relay.url, { MOSTRO_MOSTRO_FEE: '0.006' });
    cleanups.push(() => node.close());
    return {
      relay,
      node,
      async user(transport = 'nip44') {
        const u = new TestUser({ relays: [relay.url], nodePubkey: node.pubkey, transport });
        cleanups.push(() => u.close());
        await u.listen();
        return u;
      },
    };
  }

  it('sell trade: killed after take, after hold paid (relay down), after fiat-sent, after release, after payout', async () => {
    const { relay, node, user } = await setup();
    const seller = await user();
    const buyer = await user('gift-wrap');
    const sellerWallet = new SimWallet(node.walletUrl, 'seller');
    const buyerWallet = new SimWallet(node.walletUrl, 'buyer');
    await sellerWallet.fund(100_000);

    const { id, key: s } = await publishChaosOrder(seller, 'sell');
    const b = await takeSellWithInvoice(buyer, buyerWallet, id);
    await node.waitStatus(id, ['waiting-payment']);
    await node.restartAfterKill(); // after take
    const pay = await seller.waitFor(hasPaymentRequest, CHAOS_WAIT);
    await buyer.waitFor('waiting-seller-to-pay', CHAOS_WAIT);
    const [, hold] = (pay.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request;

    // After hold paid, deterministic: no relay can take the announcements before the node dies.
    await relay.down();
    await new SimWallet(node.walletUrl, 'seller').pay(hold);
    await node.waitStatus(id, ['active']);
    const queued = node.query<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE recipient IS NOT NULL')[0]!.n;
    assert.ok(queued >= 2, `the announcements wait in the outbox while the relay is down (${queued})`);
    await node.kill9();
    await relay.up();
    await node.start();
    await seller.waitFor('buyer-took-order', CHAOS_WAIT);
    await buyer.waitFor('hold-invoice-payment-accepted', CHAOS_WAIT);

    await buyer.send(b.index, { action: 'fiat-sent', id });
    await node.waitStatus(id, ['fiat-sent']);
    await node.restartAfterKill(); // after fiat-sent
    await seller.waitFor('fiat-sent-ok', CHAOS_WAIT);
    await buyer.waitFor('fiat-sent-ok', CHAOS_WAIT);

    await releaseKilledTwice(node, seller, buyer, s.index, id);
    await buyer.waitFor('rate', CHAOS_WAIT);

    const done = node.order(id)!;
    assert.equal(done.payout_state, 'succeeded');
    assert.equal(await buyerWallet.balance(), CHAOS_AMOUNT - CHAOS_FEE, 'the buyer was paid amount − fee, once');
    const sellerRouting = 100_000 - (CHAOS_AMOUNT + CHAOS_FEE) - (await sellerWallet.balance());
    assert.ok(
      sellerRouting >= 0 && sellerRouting <= CHAOS_AMOUNT / 100,
      `seller paid amount + fee + routing (${sellerRouting})`,
    );
    assertOncePerEvent(seller, 'the seller');
    assertOncePerEvent(buyer, 'the buyer');
    assert.equal(node.kills, 5);
    await eventually(() => node.query<{ n: number }>('SELECT count(*) AS n FROM outbox')[0]!.n === 0);
  });

  it('buy trade: killed after take, after hold paid, after add-invoice, after fiat-sent, after release, after payout', async () => {
    const { node, user } = await setup();
    const buyer = await user();
    const seller = await user('gift-wrap');
    const sellerWallet = new SimWallet(node.walletUrl, 'seller-b');
    const buyerWallet = new SimWallet(node.walletUrl, 'buyer-b');
    await sellerWallet.fund(100_000);

    const { id, key: b } = await publishChaosOrder(buyer, 'buy');

    const s = seller.next();
    await seller.send(s.index, { action: 'take-buy', id, trade_index: s.index });
    await node.waitStatus(id, ['waiting-payment']);
    await node.restartAfterKill(); // after take
    const pay = await seller.waitFor(hasPaymentRequest, CHAOS_WAIT);
    await buyer.waitFor('waiting-seller-to-pay', CHAOS_WAIT);
    const [, hold] = (pay.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request;

    await new SimWallet(node.walletUrl, 'seller-b').pay(hold);
    await node.waitStatus(id, ['waiting-buyer-invoice']);
    await node.restartAfterKill(); // after hold paid
    await buyer.waitFor(
      (r) =>
        r.message.kind.action === 'add-invoice' && r.message.kind.payload !== null && 'order' in r.message.kind.payload,
      CHAOS_WAIT,
    );
    await seller.waitFor('waiting-buyer-invoice', CHAOS_WAIT);

    const invoice = await new SimWallet(node.walletUrl, 'buyer-b').invoice(null);
    await buyer.send(b.index, { action: 'add-invoice', id, payload: { payment_request: [null, invoice, null] } });
    await node.waitStatus(id, ['active']);
    await node.restartAfterKill(); // after add-invoice: the escrow is locked and the fiat leg starts
    await seller.waitFor('buyer-took-order', CHAOS_WAIT);
    await buyer.waitFor('hold-invoice-payment-accepted', CHAOS_WAIT);

    await buyer.send(b.index, { action: 'fiat-sent', id });
    await node.waitStatus(id, ['fiat-sent']);
    await node.restartAfterKill(); // after fiat-sent
    await seller.waitFor('fiat-sent-ok', CHAOS_WAIT);
    await buyer.waitFor('fiat-sent-ok', CHAOS_WAIT);

    await releaseKilledTwice(node, seller, buyer, s.index, id);

    assert.equal(node.order(id)!.payout_state, 'succeeded');
    assert.equal(
      await new SimWallet(node.walletUrl, 'buyer-b').balance(),
      CHAOS_AMOUNT - CHAOS_FEE,
      'paid amount − fee, once',
    );
    const sellerRouting =
      100_000 - (CHAOS_AMOUNT + CHAOS_FEE) - (await new SimWallet(node.walletUrl, 'seller-b').balance());
    assert.ok(
      sellerRouting >= 0 && sellerRouting <= CHAOS_AMOUNT / 100,
      `seller paid amount + fee + routing (${sellerRouting})`,
    );
    assertOncePerEvent(seller, 'the seller');
    assertOncePerEvent(buyer, 'the buyer');
    void buyerWallet;
  });
});

/** Release, killed after the settle and after the payout; then every party's messages arrive. */
async function releaseKilledTwice(node: MostrodProcess, seller: TestUser, buyer: TestUser, index: number, id: string) {
  await seller.send(index, { action: 'release', id });
  await node.waitStatus(id, ['settled-hold-invoice', 'success']);
  await node.restartAfterKill(); // after release / settle
  await node.waitStatus(id, ['success'], CHAOS_WAIT);
  await node.restartAfterKill(); // after payout
  await seller.waitFor('hold-invoice-payment-settled', CHAOS_WAIT);
  await seller.waitFor('rate', CHAOS_WAIT);
  await buyer.waitFor('released', CHAOS_WAIT);
  await buyer.waitFor('purchase-completed', CHAOS_WAIT);
}

async function eventually(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
