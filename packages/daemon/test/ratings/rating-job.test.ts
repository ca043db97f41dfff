// The publish-ratings job is wired into the node's scheduler: with a short interval, a rating
// reaches the relays as a 38384 event without anyone flushing the queue by hand.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseRatingEvent } from '@mostro/protocol';
import { queuedRatings } from '../../src/publish/rating.ts';
import { completedTrade, type Harness, startHarness } from '../disputes/support.ts';
import { eventually, queryRelay } from '../support/relay-query.ts';

describe('publish-ratings job', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ settings: { 'mostro.user_rates_sent_interval_seconds': 1 } });
  });
  after(async () => {
    await h.close();
  });

  it('publishes queued ratings on its interval', async () => {
    const seller = await h.user();
    const buyer = await h.user();
    const trade = await completedTrade(h, seller, buyer);
    await buyer.send(trade.buyer.index, { action: 'rate-user', id: trade.id, payload: { rating_user: 4 } });
    await buyer.waitFor('rate-received');
    const [event] = await eventually(async () => {
      const found = await queryRelay(h.t.node.relays, { kinds: [38384], '#d': [trade.buyer.key.publicKey] });
      return found.length > 0 ? found : undefined;
    }, 10_000);
    const rating = parseRatingEvent(event);
    assert.equal(rating.total_reviews, 1);
    assert.equal(rating.total_rating, 4);
    assert.equal(queuedRatings(h.t.node.ctx.db).length, 0);
  });
});
