// Interop (c): our SDK (packages/client) trading through the REAL mostrod 0.20.2 on the regtest
// Lightning network. The seller's LND pays the node's hold invoices, the buyer's LND issues the
// payout invoices, the node's LND holds and pays: sell and buy trades to success, a cancel, a
// cooperative cancel (hold invoice canceled, seller refunded), a dispute settled by a solver the
// node operator added, and a restore from the mnemonic alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient } from '@mostro/client';
import {
  buildDisputeEvent,
  buildRatingEvent,
  EMPTY_RATING,
  holdInvoiceAmount,
  marketSats,
  parseDisputeEvent,
  parseRatingEvent,
  referenceUpdateRating,
} from '@mostro/protocol';
import { hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey, nip19 } from 'nostr-tools';
import { type CliUser, mostro } from '../../packages/cli/test/helpers/cli.ts';
import { type RegtestEnv, regtestEnv } from '../../packages/daemon/test/lightning/regtest-env.ts';
import { queryRelay } from '../../packages/daemon/test/support/relay-query.ts';
import { cleanup, tempDir, until } from '../e2e/support/processes.ts';
import { regtestLn } from '../e2e/support/regtest-ln.ts';
import { type SdkUser, sdkUser } from '../e2e/support/sdk-user.ts';
import { type Ln, playTrade } from '../e2e/support/trade-script.ts';
import { type ReferenceStack, referenceNodeSkip, startReferenceStack } from './support/reference-stack.ts';

const PRICE_EUR = 45_000; // the reference's loopback price server (scripts/reference/mostrod.mjs)

describe('our SDK against the real mostrod 0.20.2 on LND regtest', {
  skip: referenceNodeSkip(),
  timeout: 600_000,
}, () => {
  let stack: ReferenceStack;
  let net: RegtestEnv;
  let ln: Ln;
  let seller: SdkUser; // reputation mode: the buyer can rate it
  let buyer: SdkUser; // full private
  let operator: SdkUser; // hosts the operator's and the solver's admin clients
  const users: SdkUser[] = [];
  const payments: Promise<unknown>[] = [];

  const user = async (name: string, privacy: 'reputation' | 'full-private', mnemonic?: string) => {
    const u = await sdkUser(name, { relays: [stack.relay.url], node: stack.node.pubkey, privacy, mnemonic });
    users.push(u);
    return u;
  };

  /** A sell order of `sats` taken by the buyer, invoice given, hold invoice paid: both sides active. */
  const activeSellTrade = async (sats: number): Promise<string> => {
    const made = await seller.client.newOrder({
      kind: 'sell',
      fiatCode: 'EUR',
      fiatAmount: 20,
      paymentMethod: 'SEPA',
      amount: sats,
    });
    const id = made.orderId;
    await buyer.client.takeOrder(id, { kind: 'sell' });
    const b = await buyer.waitTrade(id, 'add-invoice', (t) => t.next === 'add-invoice' && t.amountSats !== null);
    await buyer.client.addInvoice(id, await ln.invoice(buyer, b.amountSats as number));
    const s = await seller.waitTrade(id, 'hold invoice', (t) => t.holdInvoice !== null, 60_000);
    await ln.pay(seller, s.holdInvoice as string);
    await seller.waitTrade(id, 'active', (t) => t.status === 'active', 60_000);
    await buyer.waitTrade(id, 'active', (t) => t.status === 'active', 60_000);
    return id;
  };

  before(async () => {
    net = regtestEnv();
    stack = await startReferenceStack();
    ln = regtestLn(net, payments);
    seller = await user('seller', 'reputation');
    buyer = await user('buyer', 'full-private');
    operator = await user('operator', 'full-private');
  });
  after(async () => {
    for (const u of users) u.close();
    await stack?.close();
    await cleanup();
  });

  it('reads the node: transport v2, its limits and fee', async () => {
    const info = await seller.client.info();
    assert.equal(info.transport, 'nip44');
    assert.equal(info.fee, 0.006);
    assert.equal(info.maxOrderSats, 1_000_000);
  });

  for (const kind of ['sell', 'buy'] as const) {
    it(`a ${kind} trade to success: hold invoice held by the node's LND, payout to the buyer's LND, chat, rating`, async () => {
      const o = await playTrade({
        kind,
        pricing: 'fixed',
        maker: kind === 'sell' ? seller : buyer,
        taker: kind === 'sell' ? buyer : seller,
        ln,
        tag: `[interop ${kind} ${crypto.randomUUID()}]`,
      });
      assert.equal(o.buyerTrade.status, 'success');
      const settled = await until('the seller pays the hold invoice to the end', async () => {
        const all = await Promise.allSettled(payments);
        return all.at(-1);
      });
      assert.equal(settled.status, 'fulfilled', `the seller's payment settled: ${JSON.stringify(settled)}`);
    });
  }

  it('38384: the rating the buyer gave parses with our protocol package; our builder gives the same tags', async () => {
    // The reference publishes ratings in batches (user_rates_sent_interval_seconds = 30 here).
    // Both trades so far rated the seller (5 each); each rating is its own event (d = the rater's key).
    const event = await until(
      'both rating events',
      async () => {
        const all = await queryRelay([stack.relay.url], { kinds: [38384], authors: [stack.node.pubkey] });
        const reviews = (e: (typeof all)[number]) => Number(e.tags.find((t) => t[0] === 'total_reviews')?.[1]);
        return all.length >= 2 ? all.sort((a, b) => reviews(b) - reviews(a))[0] : undefined;
      },
      120_000,
      1000,
    );
    const r = parseRatingEvent(event);
    assert.equal(r.total_reviews, 2);
    assert.equal(r.last_rating, 5);
    // The reference's aggregate (first vote halved), which our node deliberately does not copy.
    const expected = referenceUpdateRating(referenceUpdateRating(EMPTY_RATING, 5), 5);
    assert.equal(r.total_rating, expected.total_rating);
    const {
      kind: _k,
      created_at: _c,
      content: _t,
      ...ours
    } = buildRatingEvent({
      ...r,
      now: (r.expiration as number) - 90 * 86_400,
    });
    assert.deepEqual(ours.tags, event.tags);
  });

  it('a market-priced order is quoted with the node price (round to nearest sat) at take time', async () => {
    const made = await buyer.client.newOrder({
      kind: 'buy',
      fiatCode: 'EUR',
      fiatAmount: 9,
      paymentMethod: 'SEPA',
      amount: 0,
    });
    await seller.client.takeOrder(made.orderId, { kind: 'buy' });
    const s = await seller.waitTrade(made.orderId, 'hold invoice', (t) => t.holdInvoice !== null, 60_000);
    const sats = marketSats(9, PRICE_EUR, 0);
    assert.equal(
      s.amountSats,
      holdInvoiceAmount(0.006, sats),
      'the seller holds the market amount + its half of the fee',
    );
    // Leave it: the seller never pays, and cancel before paying returns the order to the book.
    await seller.client.cancel(made.orderId);
  });

  it('a maker cancels a pending order: canceled, and off the book', async () => {
    const made = await seller.client.newOrder({
      kind: 'sell',
      fiatCode: 'USD',
      fiatAmount: 10,
      paymentMethod: 'cash',
      amount: 20_000,
    });
    const canceled = await seller.client.cancel(made.orderId);
    assert.equal(canceled.status, 'canceled');
    const revision = await until('the order event says canceled', async () => {
      const events = await buyer.client.orderEvents();
      return events.find((o) => o.id === made.orderId && o.status === 'canceled');
    });
    assert.equal(revision.amount, 20_000);
  });

  it('our CLI, run as its user runs it: the node card and the book, then a sell order it makes and cancels', async () => {
    const home = tempDir('mostro-interop-cli-home');
    const me: CliUser = { home, env: { MOSTRO_NODE: stack.node.pubkey, MOSTRO_RELAYS: stack.relay.url } };
    const run = async (args: string[]) => {
      const r = await mostro(me, [...args, '--json'], { timeoutMs: 90_000 });
      assert.equal(r.code, 0, `mostro ${args.join(' ')}: ${r.stderr}${r.stdout}`);
      return r.json;
    };
    await run(['init']);
    const card = await run(['node']);
    assert.equal(card.transport, 'nip44');
    assert.equal(card.maxOrderSats, 1_000_000);
    const made = await run([
      'new',
      '--kind',
      'sell',
      '--fiat',
      'EUR',
      '--amount',
      '15',
      '--method',
      'SEPA',
      '--sats',
      '33000',
      '--yes',
    ]);
    assert.equal(made.status, 'pending');
    const book = await until('the book lists it', async () =>
      ((await run(['orders'])) as { id: string; amount: number }[]).find((o) => o.id === made.orderId),
    );
    assert.equal(book.amount, 33_000);
    const canceled = await run(['cancel', made.orderId]);
    assert.equal(canceled.status, 'canceled');
  });

  it('a cooperative cancel of an active trade: both confirm, the hold invoice is canceled', async () => {
    const paid = payments.length;
    const id = await activeSellTrade(25_000);
    const first = await seller.client.cancel(id);
    assert.equal(first.cooperativeCancel, 'by-me');
    await buyer.waitTrade(id, 'the peer asks to cancel', (t) => t.cooperativeCancel === 'by-peer');
    const done = await buyer.client.cancel(id);
    assert.equal(done.status, 'cooperatively-canceled');
    await seller.waitTrade(id, 'cooperatively canceled', (t) => t.status === 'cooperatively-canceled');
    // The seller's hold payment fails back: the sats never left the seller's LND.
    const refunded = await until(
      'the hold payment to fail back',
      async () => {
        const r = await Promise.allSettled(payments.slice(paid));
        return r.every((x) => x.status !== 'fulfilled') && r.length > 0 ? r : undefined;
      },
      60_000,
    );
    assert.ok(refunded.every((r) => r.status === 'rejected'));
  });

  it('a dispute: the operator adds a solver, who takes the dispute and settles it; the buyer is paid', async () => {
    const nodeKey = { secretKey: hexToBytes(stack.node.secretKeyHex), publicKey: stack.node.pubkey };
    const solverSecret = generateSecretKey();
    const solverKey = { secretKey: solverSecret, publicKey: getPublicKey(solverSecret) };
    await new AdminClient(operator.client, nodeKey).addSolver(nip19.npubEncode(solverKey.publicKey));

    const id = await activeSellTrade(30_000);
    await buyer.client.fiatSent(id);
    await seller.waitTrade(id, 'fiat-sent', (t) => t.status === 'fiat-sent');
    const opened = await buyer.client.dispute(id);
    const disputeId = opened.dispute?.id;
    assert.ok(disputeId, 'the buyer learns the dispute id');
    await seller.waitTrade(id, 'dispute opened by the peer', (t) => t.dispute?.byMe === false);

    const solver = new AdminClient(operator.client, solverKey);
    const listed = await until('the dispute event', async () =>
      (await solver.disputes('initiated')).find((d) => d.id === disputeId),
    );
    assert.equal(listed.initiator, 'buyer');
    const taken = await solver.takeDispute(disputeId);
    assert.equal(taken.info.id, id);
    const buyerKey = buyer.session.key(buyer.client.trade(id).tradeIndex).publicKey;
    const sellerKey = seller.session.key(seller.client.trade(id).tradeIndex).publicKey;
    assert.equal(taken.info.buyer_pubkey, buyerKey, 'the solver learns the buyer trade key');
    assert.equal(taken.info.seller_pubkey, sellerKey, 'the solver learns the seller trade key');
    const before = await ln.balance(buyer);
    await solver.settle(id);
    const b = await buyer.waitTrade(
      id,
      'paid after the settlement',
      (t) => t.status === 'success' || t.status === 'settled-by-admin',
      90_000,
    );
    assert.ok(['success', 'settled-by-admin'].includes(b.status));
    await until(
      'the payout arrives',
      async () => (((await ln.balance(buyer)) as number) > (before as number) ? true : undefined),
      60_000,
    );
    assert.equal(((await ln.balance(buyer)) as number) - (before as number), b.amountSats);
    await until('the dispute event says settled', async () =>
      (await solver.disputes('settled')).find((d) => d.id === disputeId),
    );
    // (a) The reference's 38386 parses with our protocol package, and ours has the same tags.
    const events = await queryRelay([stack.relay.url], { kinds: [38386], '#d': [disputeId] });
    const settledEvent = events.sort((x, y) => y.created_at - x.created_at)[0];
    assert.ok(settledEvent);
    const d = parseDisputeEvent(settledEvent);
    assert.equal(d.status, 'settled');
    assert.equal(d.initiator, 'buyer');
    const ours = buildDisputeEvent({
      disputeId,
      status: d.status,
      initiator: 'buyer',
      openedAt: d.opened_at as number,
      instanceName: d.instance_name,
      now: (d.expiration as number) - 90 * 86_400,
    });
    assert.deepEqual(ours.tags, settledEvent.tags);
  });

  it('restore from the mnemonic alone finds the open trade, its side and its counterparty', async () => {
    const id = await activeSellTrade(15_000);
    const again = await user('seller', 'reputation', seller.session.revealMnemonic());
    const restored = await again.client.restore();
    const t = restored.trades.find((x) => x.orderId === id);
    assert.ok(t, `the active trade is restored: ${JSON.stringify(restored.trades.map((x) => x.orderId))}`);
    assert.equal(t.side, 'seller');
    assert.equal(t.status, 'active');
    assert.equal(t.counterpartyPubkey, buyer.session.key(buyer.client.trade(id).tradeIndex).publicKey);
    assert.ok(restored.lastTradeIndex >= seller.client.trade(id).tradeIndex);
    // The restored session can go on trading: cancel cooperatively from both sides.
    await again.client.cancel(id);
    await buyer.client.cancel(id);
    await again.waitTrade(id, 'cooperatively canceled', (x) => x.status === 'cooperatively-canceled');
  });
});
