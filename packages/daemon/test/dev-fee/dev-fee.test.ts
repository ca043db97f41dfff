// The dev-fee job on the simulated network (reference-0.20.md §4.10): paid once from
// settled-hold-invoice on, with its kind-8383 audit event; failures back off; an in-flight payment
// is only asked about by hash; nothing while payouts are deferred or without a destination.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseDevFeeEvent } from '@mostro/protocol';
import { verifyEvent } from 'nostr-tools';
import { npubEncode } from 'nostr-tools/nip19';
import { countInflightDevFees, countOwedDevFees, getDevFee } from '../../src/db/dev-fees.ts';
import { listJournal } from '../../src/db/journal.ts';
import { checkEscrowInvariant } from '../../src/escrow/invariant.ts';
import type { LnurlResolver } from '../../src/escrow/lnurl.ts';
import { devFeeBackoffSeconds, devFeeDestination, REFERENCE_DEV_FEE_ADDRESS } from '../../src/jobs/dev-fee.ts';
import { Harness } from '../app/harness.ts';
import {
  completedTrade,
  DEV_ADDRESS,
  DEV_FEE,
  DEV_WALLET,
  devPayments,
  runDevFees,
  walletResolver,
} from './support.ts';

let h: Harness;
afterEach(() => h.close());

describe('dev fee payment', () => {
  it('is paid once after the trade, with an 8383 audit event carrying the spec tags', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    const outcomes = await runDevFees(h);
    assert.deepEqual([...outcomes], [[id, 'paid']]);
    assert.equal(h.balanceSats(DEV_WALLET), DEV_FEE);
    const row = getDevFee(h.db, id);
    assert.equal(row?.dev_fee_paid, 1);
    assert.equal(row?.dev_fee_claim, null);

    assert.equal(h.events.length, 1);
    const event = h.events[0]!;
    assert.equal(event.kind, 8383);
    assert.ok(verifyEvent(event));
    assert.deepEqual(
      event.tags.map((t) => t[0]),
      ['order-id', 'amount', 'hash', 'destination', 'network', 'y', 'z', 'expiration'],
    );
    const audit = parseDevFeeEvent(event);
    assert.equal(audit.order_id, id);
    assert.equal(audit.amount, DEV_FEE);
    assert.equal(audit.hash, row?.dev_fee_payment_hash);
    assert.equal(audit.destination, DEV_ADDRESS);
    assert.equal(audit.network, 'regtest');
    assert.equal(audit.expiration, h.clock.now() + 365 * 86_400);

    await h.assertInvariant();
    h.clock.advance(3600);
    assert.deepEqual([...(await runDevFees(h))], [], 'a paid fee is never looked at again');
    assert.equal(devPayments(h).length, 1);
    assert.equal(h.events.length, 1);
  });

  it('the escrow invariant catches a fee marked paid that Lightning never paid', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    h.db.prepare('UPDATE orders SET dev_fee_paid = 1, dev_fee_payment_hash = ? WHERE id = ?').run('ab'.repeat(32), id);
    const violations = await checkEscrowInvariant(h.ctx);
    assert.deepEqual(
      violations.map((v) => [v.orderId, v.problem]),
      [[id, 'dev fee marked paid but not paid']],
    );
  });

  it('is owed from settled-hold-invoice on, not before', async () => {
    h = new Harness();
    const seller = h.user('seller');
    const buyer = h.user('buyer');
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, h.buyerInvoice(), null] } });
    await h.sellerPays(seller);
    assert.equal(h.order(id).status, 'active');
    assert.deepEqual([...(await runDevFees(h))], []);
    assert.equal(h.balanceSats(DEV_WALLET), 0);
  });

  it('fails → backs off 60 s doubling, then pays once', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    assert.ok(h.net.injectFailure({ wallet: DEV_WALLET, failure: 'no_route', times: 2 }).ok);
    assert.deepEqual([...(await runDevFees(h))], [[id, 'failed']]);
    let row = getDevFee(h.db, id);
    assert.equal(row?.dev_fee_failed_attempts, 1);
    assert.equal(row?.dev_fee_next_attempt_at, h.clock.now() + 60);
    assert.equal(row?.dev_fee_payment_hash, null, 'a payment Lightning failed frees the invoice');
    assert.deepEqual([...(await runDevFees(h))], [], 'not before the backoff');
    h.clock.advance(60);
    assert.deepEqual([...(await runDevFees(h))], [[id, 'failed']]);
    row = getDevFee(h.db, id);
    assert.equal(row?.dev_fee_next_attempt_at, h.clock.now() + 120);
    h.clock.advance(119);
    assert.deepEqual([...(await runDevFees(h))], []);
    h.clock.advance(1);
    assert.deepEqual([...(await runDevFees(h))], [[id, 'paid']]);
    assert.equal(devPayments(h).length, 1);
    assert.equal(h.balanceSats(DEV_WALLET), DEV_FEE);
    assert.equal(h.events.length, 1);
  });

  it('an unresolvable destination backs off too', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    const calls: string[] = [];
    const outcomes = await runDevFees(h, { destination: 'nobody@nowhere.example', resolver: walletResolver(h, calls) });
    assert.deepEqual([...outcomes], [[id, 'failed']]);
    assert.deepEqual(calls, [
      `nobody@nowhere.example:${DEV_FEE}:mostro-dev-fee order=${id} node=${npubEncode(h.ctx.nodePubkey)}`,
    ]);
    assert.equal(getDevFee(h.db, id)?.dev_fee_failed_attempts, 1);
    assert.equal(h.events.length, 0);
  });

  it('an invoice for another chain or another amount is never paid', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    assert.deepEqual([...(await runDevFees(h, { networks: ['bitcoin'] }))], [[id, 'failed']]);
    const greedy: LnurlResolver = {
      check: async () => null,
      invoice: async (_target, amountSats) => {
        const inv = h.net.createInvoice(DEV_WALLET, { amountSats: amountSats + 1 });
        return inv.ok ? { ok: true, value: inv.value.request } : { ok: false, reason: 'no' };
      },
    };
    h.clock.advance(3600);
    assert.deepEqual([...(await runDevFees(h, { resolver: greedy }))], [[id, 'failed']]);
    assert.equal(devPayments(h).length, 0);
    assert.equal(h.balanceSats(DEV_WALLET), 0);
    assert.deepEqual(
      listJournal(h.db, id)
        .filter((e) => e.step === 'dev_fee.invalid')
        .map((e) => (e.detail as { reason: string }).reason),
      ['invoice for regtest, the node is on bitcoin', 'invoice amount differs from the dev fee'],
    );
  });

  it('a payment stuck in flight is asked about by hash, never paid a second time', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    assert.ok(h.net.injectFailure({ wallet: DEV_WALLET, failure: 'stuck', times: 1 }).ok);
    const calls: string[] = [];
    const resolver = walletResolver(h, calls);
    assert.deepEqual([...(await runDevFees(h, { resolver }))], [[id, 'in_flight']]);
    const hash = getDevFee(h.db, id)?.dev_fee_payment_hash;
    assert.ok(hash);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(120);
      assert.deepEqual([...(await runDevFees(h, { resolver }))], [[id, 'in_flight']]);
    }
    assert.equal(calls.length, 1, 'no second invoice while the first is in flight');
    assert.equal(countInflightDevFees(h.db), 1, 'the drain counter sees it');
    assert.equal(countOwedDevFees(h.db), 1);
    assert.equal(h.events.length, 0);
    assert.ok(h.net.releasePayment('mostro', hash, 'deliver').ok);
    assert.deepEqual([...(await runDevFees(h, { resolver }))], [[id, 'paid']]);
    assert.equal(countInflightDevFees(h.db), 0);
    assert.equal(countOwedDevFees(h.db), 0);
    assert.equal(devPayments(h).length, 1);
    assert.equal(h.events.length, 1);
  });

  it('waits while payouts are deferred (LND unsynced), and without a destination', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    let deferred = true;
    h.ctx.lndSync = { paymentsDeferred: () => deferred };
    assert.deepEqual([...(await runDevFees(h))], []);
    assert.deepEqual([...(await runDevFees(h, { destination: null }))], []);
    assert.equal(getDevFee(h.db, id)?.dev_fee_claim, null, 'not even claimed');
    assert.equal(getDevFee(h.db, id)?.dev_fee_failed_attempts, 0, 'no attempt consumed');
    deferred = false;
    assert.deepEqual([...(await runDevFees(h))], [[id, 'paid']]);
  });

  it('a claim held by another live run is respected; a stale one is taken over', async () => {
    h = new Harness();
    const id = await completedTrade(h);
    h.db
      .prepare('UPDATE orders SET dev_fee_claim = ?, dev_fee_claimed_at = ? WHERE id = ?')
      .run('PENDING-other', h.clock.now(), id);
    assert.deepEqual([...(await runDevFees(h))], []);
    h.clock.advance(301);
    assert.deepEqual([...(await runDevFees(h))], [[id, 'paid']]);
  });
});

describe('dev fee settings', () => {
  it('destination: configured wins, "" disables, unset = the reference address on mainnet only', () => {
    assert.equal(devFeeDestination('me@example.com', ['regtest']), 'me@example.com');
    assert.equal(devFeeDestination('', ['mainnet']), null);
    assert.equal(devFeeDestination(undefined, ['mainnet']), REFERENCE_DEV_FEE_ADDRESS);
    assert.equal(devFeeDestination(undefined, ['regtest']), null);
    assert.equal(devFeeDestination(undefined, null), null);
  });

  it('backoff: 60 s doubling to an hour, jitter at most 25 %', () => {
    assert.deepEqual(
      [1, 2, 3, 7, 8, 20].map((n) => devFeeBackoffSeconds(n, () => 0)),
      [60, 120, 240, 3600, 3600, 3600],
    );
    assert.equal(
      devFeeBackoffSeconds(1, () => 0.999),
      74,
    );
  });
});
