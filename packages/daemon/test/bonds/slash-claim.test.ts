// Slashing and the share payout on the simulated network (protocol.md §5.12): a solver's
// bond_resolution settles the bond, the loser gets bond-slashed, the winner add-bond-invoice, and
// the winner's invoice is paid exactly once — also across a crash with the outcome unknown.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { reconcileBonds } from '../../src/bonds/jobs.ts';
import { tiedByBond } from '../../src/bonds/known.ts';
import { listJournal } from '../../src/db/journal.ts';
import type { Harness, User } from '../app/harness.ts';
import { BOND, bondHarness, bondInvoiceTo, disputedBondedTrade, FlakyLightning, onlyBond, runJobs } from './support.ts';

let h: Harness;
afterEach(() => h.close());

const SHARE = BOND - Math.floor(BOND * 0.5);

async function restoredOrderIds(h: Harness, user: User): Promise<string[]> {
  assert.equal(await h.send(user, 'restore-session', { tradeIndex: null }), 'handled');
  const m = h.last(user, 'restore-session');
  assert.ok(m.payload && 'restore_data' in m.payload);
  return m.payload.restore_data.orders.map((o) => o.order_id);
}

const claim = (h: Harness, wallet: string, sats: number) => ({
  payload: { payment_request: [null, h.buyerInvoice(wallet, sats), null] as [null, string, null] },
});

describe('bond slashing and payout claims', () => {
  it('admin-cancel slashing the buyer: bond settled, seller claims the share and is paid once', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, solver } = await disputedBondedTrade(h, seller, buyer);

    // A slash flag for a side without a locked bond is refused, nothing changes.
    await h.send(solver, 'admin-cancel', {
      id,
      payload: { bond_resolution: { slash_seller: true, slash_buyer: false } },
    });
    assert.equal(h.cantDo(solver), 'invalid_payload');
    assert.equal(h.order(id).status, 'dispute');

    const mark = h.mark();
    const nodeBefore = h.balanceSats('mostro');
    assert.equal(
      await h.send(solver, 'admin-cancel', {
        id,
        payload: { bond_resolution: { slash_seller: false, slash_buyer: true } },
      }),
      'handled',
    );
    assert.equal(h.order(id).status, 'canceled-by-admin');
    const bond = onlyBond(h, id);
    assert.equal(bond.state, 'slashed');
    assert.equal(bond.payout_sats, SHARE);
    assert.equal(bond.payout_recipient, seller.trade);
    assert.equal(await h.holdState(bond.hash), 'settled');
    assert.equal(h.balanceSats('mostro'), nodeBefore + BOND, 'the node holds the slashed bond');
    assert.ok(h.actionsTo(buyer, mark).includes('bond-slashed'));
    const slashed = h.last(buyer, 'bond-slashed');
    assert.ok(slashed.payload && 'order' in slashed.payload);
    assert.equal(slashed.payload.order.amount, BOND);
    assert.equal(slashed.payload.order.status, null);
    const ask = h.last(seller, 'add-bond-invoice');
    assert.ok(ask.payload && 'bond_payout_request' in ask.payload);
    assert.equal(ask.payload.bond_payout_request.order.amount, SHARE);
    assert.equal(ask.payload.bond_payout_request.slashed_at, h.clock.now());

    // The buyer (the loser) cannot claim; a wrong amount is refused.
    await h.send(buyer, 'add-bond-invoice', { id, ...claim(h, 'buyer', SHARE) });
    assert.equal(h.cantDo(buyer), 'is_not_your_order');
    await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE + 1) });
    assert.equal(h.cantDo(seller), 'invalid_invoice');

    const m2 = h.mark();
    assert.equal(await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE) }), 'handled');
    assert.deepEqual(h.actionsTo(seller, m2), ['bond-invoice-accepted', 'bond-payout-completed']);
    assert.equal(h.balanceSats('seller-claim'), SHARE);
    assert.equal(onlyBond(h, id).payout_state, 'succeeded');

    // Paid once: another invoice is not accepted, and the job pays nothing more.
    await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE) });
    assert.equal(h.cantDo(seller), 'is_not_your_order');
    await runJobs(h);
    assert.equal(h.balanceSats('seller-claim'), SHARE);
    await h.assertInvariant();
    h.assertNoErrors();
  });

  it('admin-settle without bond_resolution releases the bond once the trade ends', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, solver } = await disputedBondedTrade(h, seller, buyer);
    assert.equal(await h.send(solver, 'admin-settle', { id }), 'handled');
    await h.settle();
    assert.equal(h.order(id).status, 'success');
    await runJobs(h);
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'canceled');
    h.assertNoErrors();
  });

  it('the claim window closes: a late invoice is refused and the share stays with the node', async () => {
    h = bondHarness({ payout_claim_window_days: 1 });
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, solver } = await disputedBondedTrade(h, seller, buyer);
    await h.send(solver, 'admin-cancel', {
      id,
      payload: { bond_resolution: { slash_seller: false, slash_buyer: true } },
    });
    assert.deepEqual(await restoredOrderIds(h, seller), [id], 'restore keeps a finished order that owes a share');
    const asks = () => h.actionsTo(seller).filter((a) => a === 'add-bond-invoice').length;
    assert.equal(asks(), 1);
    h.clock.advance(200);
    await runJobs(h);
    assert.equal(asks(), 1, 'not before payout_invoice_window_seconds');
    h.clock.advance(101);
    await runJobs(h);
    assert.equal(asks(), 2, 'asked again while no invoice came');
    assert.ok(tiedByBond(h.ctx, seller.trade), 'the claimant is a known key');
    h.clock.advance(86_401 - 301);
    assert.deepEqual(await restoredOrderIds(h, seller), []);
    assert.ok(!tiedByBond(h.ctx, seller.trade));
    await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE) });
    assert.equal(h.cantDo(seller), 'not_allowed_by_status');
    assert.equal(onlyBond(h, id).payout_state, 'none');
    h.assertNoErrors();
  });
});

describe('bonds across a crash', () => {
  it('a bond paid while the node was down: at start-up the take goes on', async () => {
    h = bondHarness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    await h.send(buyer, 'take-sell', { id });
    h.simulateCrash();
    assert.ok(h.net.fund(buyer.name, 100_000).ok);
    assert.ok(h.net.pay(buyer.name, { request: bondInvoiceTo(h, buyer).request, maxFeeSats: 100 }).ok);
    await h.restart();
    const mark = h.mark();
    await reconcileBonds(h.ctx);
    await h.settle();
    assert.equal(onlyBond(h, id).state, 'locked');
    assert.equal(h.order(id).status, 'waiting-buyer-invoice');
    assert.deepEqual(h.actionsTo(buyer, mark), ['add-invoice']);
    h.assertNoErrors();
  });

  it('a bond invoice created but never recorded (crash) is withdrawn at start-up', async () => {
    const flaky = new FlakyLightning();
    h = bondHarness({}, { wrapLightning: flaky.wrap });
    flaky.onCrash = () => h.simulateCrash();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell' });
    flaky.armed = { method: 'addHoldInvoice', kind: 'crash' };
    await h.send(buyer, 'take-sell', { id }).catch(() => undefined);
    await h.restart();
    assert.equal(onlyBond(h, id).state, 'creating');
    const hash = onlyBond(h, id).hash;
    assert.equal(await h.holdState(hash), 'open', 'the backend did create it');
    await reconcileBonds(h.ctx);
    await h.settle();
    assert.equal(onlyBond(h, id).state, 'released');
    assert.equal(await h.holdState(hash), 'canceled', 'nobody can lock sats in it any more');
    assert.equal(h.order(id).status, 'pending');
    assert.ok(!h.actionsTo(buyer).includes('pay-bond-invoice'), 'it was never offered');
  });

  it('a slash whose settle call was lost is finished at start-up, its messages sent once', async () => {
    const flaky = new FlakyLightning();
    h = bondHarness({}, { wrapLightning: flaky.wrap });
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, solver } = await disputedBondedTrade(h, seller, buyer);
    flaky.armed = { method: 'settleHoldInvoice', kind: 'lost' };
    // The order's own decision (refund) happens; the bond's settle call is lost.
    await h.send(solver, 'admin-cancel', {
      id,
      payload: { bond_resolution: { slash_seller: false, slash_buyer: true } },
    });
    assert.equal(onlyBond(h, id).state, 'slashing');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'accepted');
    h.simulateCrash();
    await h.restart();
    await reconcileBonds(h.ctx);
    await h.settle();
    assert.equal(onlyBond(h, id).state, 'slashed');
    assert.equal(await h.holdState(onlyBond(h, id).hash), 'settled');
    await runJobs(h);
    assert.equal(h.to(buyer).filter((m) => m.action === 'bond-slashed').length, 1);
    assert.equal(h.to(seller).filter((m) => m.action === 'add-bond-invoice').length, 1);
    h.assertNoErrors();
  });

  it('a share payout whose answer was lost is asked about by hash after a restart, never paid twice', async () => {
    const flaky = new FlakyLightning();
    h = bondHarness({}, { wrapLightning: flaky.wrap });
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const { id, solver } = await disputedBondedTrade(h, seller, buyer);
    await h.send(solver, 'admin-cancel', {
      id,
      payload: { bond_resolution: { slash_seller: false, slash_buyer: true } },
    });
    flaky.armed = { method: 'pay', kind: 'done' };
    assert.equal(await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE) }), 'handled');
    assert.equal(onlyBond(h, id).payout_state, 'in_flight', 'unknown outcome: fail closed');
    assert.equal(h.balanceSats('seller-claim'), SHARE, 'the payment did arrive');
    // While it is in flight, a second invoice is refused.
    await h.send(seller, 'add-bond-invoice', { id, ...claim(h, 'seller-claim', SHARE) });
    assert.equal(h.cantDo(seller), 'not_allowed_by_status');
    h.simulateCrash();
    await h.restart();
    const mark = h.mark();
    await runJobs(h);
    assert.equal(onlyBond(h, id).payout_state, 'succeeded');
    assert.equal(h.balanceSats('seller-claim'), SHARE, 'paid exactly once');
    assert.deepEqual(h.actionsTo(seller, mark), ['bond-payout-completed']);
    const pays = listJournal(h.db, id).filter((e) => e.step === 'bond.payout.pay');
    assert.equal(pays.length, 1);
    h.assertNoErrors();
  });
});
