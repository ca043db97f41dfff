// Slashing on a waiting-state timeout (`slash_on_waiting_timeout`, protocol.md §5.12): the bonded
// taker who never sent the payout invoice loses the bond and the maker may claim the share; with
// the setting off the bond is only released.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { expireWaitingOrders } from '../../src/jobs/waiting-timeouts.ts';
import type { Harness } from '../app/harness.ts';
import { BOND, bondHarness, onlyBond, payBond, runJobs } from './support.ts';

let h: Harness;
afterEach(() => h.close());

async function takenAndAbandoned(
  h: Harness,
): Promise<{ id: string; seller: ReturnType<Harness['user']>; buyer: ReturnType<Harness['user']> }> {
  const seller = h.user('seller');
  const buyer = h.user('buyer');
  const id = await h.newOrder(seller, { kind: 'sell' });
  await h.send(buyer, 'take-sell', { id });
  await payBond(h, buyer);
  assert.equal(h.order(id).status, 'waiting-buyer-invoice');
  h.clock.advance(h.settings.mostro.expiration_seconds + 1);
  await expireWaitingOrders(h.ctx);
  await h.settle();
  return { id, seller, buyer };
}

describe('waiting-state timeout with a locked taker bond', () => {
  it('slash_on_waiting_timeout: the order goes back to the book, the taker is slashed, the maker may claim', async () => {
    h = bondHarness({ slash_on_waiting_timeout: true });
    const { id, seller, buyer } = await takenAndAbandoned(h);
    assert.equal(h.order(id).status, 'pending');
    const bond = onlyBond(h, id);
    assert.equal(bond.state, 'slashed');
    assert.equal(bond.slash_reason, 'timeout');
    assert.equal(bond.payout_recipient, seller.trade);
    assert.equal(await h.holdState(bond.hash), 'settled');
    assert.ok(h.actionsTo(buyer).includes('bond-slashed'));
    const ask = h.last(seller, 'add-bond-invoice');
    assert.ok(ask.payload && 'bond_payout_request' in ask.payload);
    assert.equal(ask.payload.bond_payout_request.order.amount, BOND / 2);
    h.assertNoErrors();
  });

  it('setting off: the bond is released, nobody is slashed', async () => {
    h = bondHarness();
    const { id, buyer } = await takenAndAbandoned(h);
    await runJobs(h);
    assert.equal(h.order(id).status, 'pending');
    assert.equal(onlyBond(h, id).state, 'released');
    assert.ok(!h.actionsTo(buyer).includes('bond-slashed'));
    h.assertNoErrors();
  });
});
