// Ratings and reputation (protocol.md §9, §6.2) through the real node: the `rate` invitations,
// rate-user once per side with rate-received, the correct running mean with min/max/count and days,
// the batched 38384 events (d = the rater's trade key), the maker's `rating` tag on new pending
// orders, the taker's reputation shown to the maker, and full private mode (nothing accrues).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Peer, parseRatingEvent } from '@mostro/protocol';
import { getOrder } from '../../src/db/orders.ts';
import { getUser } from '../../src/db/users.ts';
import { publishQueuedRatings, queuedRatings } from '../../src/publish/rating.ts';
import { activeTrade, completedTrade, type Harness, must, sellOrder, startHarness } from '../disputes/support.ts';
import { queryRelay, tag } from '../support/relay-query.ts';
import type { TestUser } from '../support/test-user.ts';

const DAY = 86_400;

describe('ratings and reputation', () => {
  let h: Harness;

  before(async () => {
    // The batch job would run hourly; the tests flush the queue themselves.
    h = await startHarness({ settings: { 'mostro.user_rates_sent_interval_seconds': 86_400 } });
  });
  after(async () => {
    await h.close();
  });

  const rate = async (who: TestUser, index: number, id: string, vote: number) => {
    await who.send(index, { action: 'rate-user', id, payload: { rating_user: vote } });
  };

  it('both sides rate once; rate-received echoes; a second vote is ignored; the 38384 events follow in a batch', async () => {
    const seller = await h.user();
    const buyer = await h.user({ transport: 'gift-wrap' });
    const trade = await completedTrade(h, seller, buyer);

    await rate(seller, trade.seller.index, trade.id, 5);
    const received = await seller.waitFor('rate-received');
    assert.deepEqual(received.message.kind.payload, { rating_user: 5 });
    assert.equal(received.message.kind.id, trade.id);
    await rate(buyer, trade.buyer.index, trade.id, 3);
    assert.deepEqual((await buyer.waitFor('rate-received')).message.kind.payload, { rating_user: 3 });

    // The votes went to the counterparties' identities, not to trade keys.
    const rated = getUser(h.t.node.ctx.db, buyer.identity.publicKey)!;
    assert.equal(rated.total_reviews, 1);
    assert.equal(rated.mean_rating, 5);
    assert.equal(getUser(h.t.node.ctx.db, seller.identity.publicKey)!.mean_rating, 3);
    assert.equal(getUser(h.t.node.ctx.db, trade.buyer.key.publicKey), undefined);

    // Once per side: the second vote gets no answer and changes nothing.
    seller.inbox.splice(0);
    await rate(seller, trade.seller.index, trade.id, 1);
    assert.deepEqual(await seller.quiet(), []);
    assert.equal(getUser(h.t.node.ctx.db, buyer.identity.publicKey)!.total_reviews, 1);
    const order = getOrder(h.t.node.ctx.db, trade.id)!;
    assert.equal(order.seller_sent_rate, true);
    assert.equal(order.buyer_sent_rate, true);

    // Not yet on the relays: batched.
    assert.equal((await queryRelay(h.t.node.relays, { kinds: [38384], '#d': [trade.seller.key.publicKey] })).length, 0);
    assert.equal(queuedRatings(h.t.node.ctx.db).length, 2);
    assert.equal(await publishQueuedRatings(h.t.node.ctx), 2);
    await h.t.node.idle();
    assert.equal(queuedRatings(h.t.node.ctx.db).length, 0, 'the queue is emptied');

    // d = the trade key of the user who sent the rating (the reference's observed behaviour).
    const [bySeller] = await queryRelay(h.t.node.relays, { kinds: [38384], '#d': [trade.seller.key.publicKey] });
    assert.ok(bySeller, 'the rating sent by the seller is published under the seller trade key');
    assert.equal(bySeller.pubkey, h.t.node.pubkey);
    assert.deepEqual(
      bySeller.tags.map((x) => x[0]),
      ['d', 'expiration', 'total_reviews', 'total_rating', 'last_rating', 'max_rate', 'min_rate', 'since', 'z', 'days'],
    );
    assert.deepEqual(tag(bySeller, 'total_reviews'), ['total_reviews', '1']);
    assert.deepEqual(tag(bySeller, 'total_rating'), ['total_rating', '5']);
    assert.deepEqual(tag(bySeller, 'last_rating'), ['last_rating', '5']);
    assert.deepEqual(tag(bySeller, 'max_rate'), ['max_rate', '5']);
    assert.deepEqual(tag(bySeller, 'min_rate'), ['min_rate', '5']);
    assert.deepEqual(tag(bySeller, 'z'), ['z', 'rating']);
    assert.deepEqual(tag(bySeller, 'days'), ['days', '0']);
    const expiration = Number(tag(bySeller, 'expiration')![1]);
    assert.ok(Math.abs(expiration - (bySeller.created_at + 90 * DAY)) <= 2, 'expires after rating_days');
    const [byBuyer] = await queryRelay(h.t.node.relays, { kinds: [38384], '#d': [trade.buyer.key.publicKey] });
    assert.equal(parseRatingEvent(byBuyer).total_rating, 3);
  });

  it('rate-user is refused before the trade ends, and from a stranger; a value outside 1..5 gets no answer', async () => {
    const seller = await h.user();
    const buyer = await h.user();
    const active = await activeTrade(h, seller, buyer);
    await rate(buyer, active.buyer.index, active.id, 4);
    assert.deepEqual((await buyer.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_order_status' });

    const trade = await completedTrade(h, await h.user(), await h.user());
    const stranger = await h.user();
    const x = stranger.next();
    await rate(stranger, x.index, trade.id, 1);
    trade.seller.user.inbox.splice(0);
    for (const vote of [0, 6]) await rate(trade.seller.user, trade.seller.index, trade.id, vote);
    assert.deepEqual(await stranger.quiet(), []);
    assert.deepEqual(
      (await trade.seller.user.quiet(100)).map((r) => r.message.kind.action),
      [],
      'no answer to 0 or 6',
    );
    const buyerIdentity = trade.buyer.user.identity.publicKey;
    assert.equal(getUser(h.t.node.ctx.db, buyerIdentity)!.total_reviews, 0);
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.seller_sent_rate, false, 'a bad value does not use up the vote');
    await rate(trade.seller.user, trade.seller.index, trade.id, 2);
    await trade.seller.user.waitFor('rate-received');
    assert.equal(getUser(h.t.node.ctx.db, buyerIdentity)!.last_rating, 2);
  });

  it('the seller may rate once the sats are released, before the buyer is paid; the buyer may not yet', async () => {
    const seller = await h.user();
    const buyer = await h.user();
    const trade = await activeTrade(h, seller, buyer);
    // The payout to the buyer hangs in flight: the order stays settled-hold-invoice.
    must(h.net.injectFailure({ failure: 'stuck', wallet: trade.buyer.wallet }));
    await buyer.send(trade.buyer.index, { action: 'fiat-sent', id: trade.id });
    await seller.waitFor('fiat-sent-ok');
    await seller.send(trade.seller.index, { action: 'release', id: trade.id });
    await seller.waitFor('rate');
    await h.t.node.idle();
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'settled-hold-invoice');

    await rate(buyer, trade.buyer.index, trade.id, 5);
    assert.deepEqual((await buyer.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_order_status' });
    await rate(seller, trade.seller.index, trade.id, 4);
    assert.deepEqual((await seller.waitFor('rate-received')).message.kind.payload, { rating_user: 4 });
    assert.equal(getUser(h.t.node.ctx.db, buyer.identity.publicKey)!.total_reviews, 1);
    h.net.clearFailures();
  });

  it('aggregates: correct running mean, min, max, count, days since first seen; shown on new orders and to makers', async () => {
    const seller = await h.user();
    const votes = [5, 3, 4];
    for (const vote of votes) {
      const buyer = await h.user();
      const trade = await completedTrade(h, seller, buyer);
      await rate(buyer, trade.buyer.index, trade.id, vote);
      await buyer.waitFor('rate-received');
    }
    const user = getUser(h.t.node.ctx.db, seller.identity.publicKey)!;
    assert.equal(user.total_reviews, 3);
    assert.equal(user.mean_rating, 4, 'the mean of 5, 3, 4 (the reference would say 3.5)');
    assert.equal(user.min_rating, 3);
    assert.equal(user.max_rating, 5);
    assert.equal(user.last_rating, 4);

    // First seen three days ago.
    h.t.node.ctx.db
      .prepare('UPDATE users SET created_at = created_at - ? WHERE pubkey = ?')
      .run(3 * DAY, seller.identity.publicKey);
    const published = await publishQueuedRatings(h.t.node.ctx);
    await h.t.node.idle();
    assert.ok(published >= 3);
    const [latest] = (await queryRelay(h.t.node.relays, { kinds: [38384] }))
      .map((e) => parseRatingEvent(e))
      .filter((r) => r.total_reviews === 3 && r.total_rating === 4);
    assert.ok(latest, 'the aggregate is published');
    assert.equal(latest.days, 3);
    assert.equal(latest.min_rate, 3);
    assert.equal(latest.max_rate, 5);

    // A new order of this seller carries the reputation in its `rating` tag.
    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: sellOrder() } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38383], '#d': [id] });
    // `since`: the UTC day the node first saw the seller (mostrod 0.20).
    const firstSeen = getUser(h.t.node.ctx.db, seller.identity.publicKey)!.created_at;
    const since = firstSeen - (firstSeen % DAY);
    assert.equal(latest.since, since);
    assert.deepEqual(tag(event!, 'rating'), [
      'rating',
      `["rating",{"days":3,"since":${since},"total_rating":4.0,"total_reviews":3}]`,
    ]);
  });

  it('full private mode: votes for a full-private user are dropped silently; nothing accrues; zeros shown', async () => {
    const seller = await h.user();
    const buyer = await h.user({ fullPrivacy: true });
    const trade = await completedTrade(h, seller, buyer);
    seller.inbox.splice(0);
    await rate(seller, trade.seller.index, trade.id, 5);
    assert.deepEqual(await seller.quiet(), [], 'no rate-received for a full-private counterparty');
    assert.equal(getUser(h.t.node.ctx.db, buyer.identity.publicKey), undefined);
    assert.equal(getUser(h.t.node.ctx.db, trade.buyer.key.publicKey), undefined);
    assert.equal(queuedRatings(h.t.node.ctx.db).length, 0, 'nothing to publish');

    // The full-private buyer's own vote for a reputation-mode seller counts (as in the reference).
    await rate(buyer, trade.buyer.index, trade.id, 4);
    await buyer.waitFor('rate-received');
    assert.equal(getUser(h.t.node.ctx.db, seller.identity.publicKey)!.total_reviews, 1);

    // A full-private maker's order shows zeros.
    const b = buyer.next();
    await buyer.send(b.index, { action: 'new-order', payload: { order: sellOrder({ kind: 'buy' }) } });
    const id = (await buyer.waitFor('new-order')).message.kind.id!;
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38383], '#d': [id] });
    assert.deepEqual(tag(event!, 'rating'), ['rating', '["rating",{"days":0,"total_rating":0.0,"total_reviews":0}]']);
  });

  it("the taker's reputation is shown to the maker when the taker of a sell order adds its invoice", async () => {
    const buyer = await h.user();
    // Give the buyer a reputation: one completed trade rated 5 by its seller.
    const first = await completedTrade(h, await h.user(), buyer);
    await rate(first.seller.user, first.seller.index, first.id, 5);
    await first.seller.user.waitFor('rate-received');

    const maker = await h.user();
    // As the reference: the notice comes from add-invoice (not from a take that carried the invoice).
    await activeTrade(h, maker, buyer, { invoiceAtTake: false });
    const peer = maker.inbox.find(
      (r) => r.message.kind.action === 'pay-invoice' && r.message.kind.payload && 'peer' in r.message.kind.payload,
    );
    assert.ok(peer, 'the maker got the taker reputation');
    const { since, ...reputation } = (peer.message.kind.payload as { peer: Peer }).peer.reputation as {
      since?: number;
    };
    assert.deepEqual(reputation, { rating: 5, reviews: 1, operating_days: 0 });
    // 0.17: `since` is the start of the UTC day the identity was first seen (today here).
    const today = Math.floor(Date.now() / 1000 / 86_400) * 86_400;
    assert.ok(since === today || since === today - 86_400, `since ${since}`);
  });
});
