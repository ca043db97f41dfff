// A dispute across a node restart: opened and taken before, decided after; the solver's assignment
// and the queued rating are in the database, not in memory.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toNpub } from '@mostro/protocol';
import { getDispute } from '../../src/db/disputes.ts';
import { getOrder } from '../../src/db/orders.ts';
import { queuedRatings } from '../../src/publish/rating.ts';
import { eventually } from '../support/relay-query.ts';
import {
  AMOUNT,
  activeTrade,
  addSolver,
  balanceSats,
  completedTrade,
  FEE,
  type Harness,
  startHarness,
} from './support.ts';

describe('disputes and ratings across a restart', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ settings: { 'mostro.user_rates_sent_interval_seconds': 86_400 } });
  });
  after(async () => {
    await h.close();
  });

  it('a dispute taken before a restart is settled after it; a queued rating is still queued', async () => {
    const operator = await h.admin(h.t.secretKey);
    const solver = await h.admin();
    await addSolver(operator, toNpub(solver.publicKey));
    const trade = await activeTrade(h, await h.user(), await h.user());
    await trade.buyer.user.send(trade.buyer.index, { action: 'dispute', id: trade.id });
    const opened = await trade.buyer.user.waitFor('dispute-initiated-by-you');
    const disputeId = (opened.message.kind.payload as { dispute: [string, null] }).dispute[0];
    await solver.send({ action: 'admin-take-dispute', id: disputeId });
    await solver.waitFor('admin-took-dispute');

    const rated = await completedTrade(h, await h.user(), await h.user());
    await rated.buyer.user.send(rated.buyer.index, { action: 'rate-user', id: rated.id, payload: { rating_user: 5 } });
    await rated.buyer.user.waitFor('rate-received');

    await h.restart();
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.solver_pubkey, solver.publicKey);
    assert.equal(queuedRatings(h.t.node.ctx.db).length, 1);

    // The solver's tool connects again and decides.
    const solverAgain = await h.admin(solver.secretKey);
    await solverAgain.send({ action: 'admin-settle', id: trade.id });
    await solverAgain.waitFor('admin-settled');
    await eventually(() => (getOrder(h.t.node.ctx.db, trade.id)?.status === 'success' ? true : undefined), 10_000);
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'settled');
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE);
  });
});
