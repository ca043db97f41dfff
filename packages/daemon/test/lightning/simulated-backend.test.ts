import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { HoldInvoice } from '../../src/lightning/backend.ts';
import {
  createSimulatedBackend,
  SimulatedNetwork,
  startSimulatedLightning,
} from '../../src/lightning/simulated/index.ts';
import { assertConserved, balance, preimagePair, TestClock } from './simulated-helpers.ts';

function setup() {
  const clock = new TestClock();
  const net = new SimulatedNetwork({ clock, tickMs: 0 });
  const node = createSimulatedBackend(net, 'mostro');
  return { clock, net, node };
}

describe('createSimulatedBackend', () => {
  test('getInfo announces a simulated regtest node with the wallet key', async () => {
    const { net, node } = setup();
    const info = await node.getInfo();
    assert.ok(info.ok);
    assert.equal(info.value.simulated, true);
    assert.deepEqual(info.value.networks, ['regtest']);
    assert.deepEqual(info.value.chains, ['bitcoin']);
    assert.equal(info.value.alias, 'simulated');
    const pubkey = net.nodePubkey('mostro');
    assert.equal(pubkey.ok && pubkey.value, info.value.pubkey);
    assert.equal(info.value.blockHeight, net.height());
    await node.close();
    net.close();
  });

  test('escrow round: hold invoice, seller pays, subscription sees accepted then settled, buyer is paid', async () => {
    const { net, node } = setup();
    net.fund('seller', 200_000);
    const { preimage, hash } = preimagePair();
    const added = await node.addHoldInvoice({
      hash,
      amountSats: 100_000,
      memo: 'escrow',
      expirySeconds: 900,
      cltvDelta: 60,
    });
    assert.ok(added.ok);
    assert.equal(added.value.state, 'open');
    assert.equal(added.value.htlcExpiryHeight, null);
    const seen: HoldInvoice[] = [];
    const done = new Promise<void>((resolve) => {
      node.subscribeHoldInvoice(hash, (inv) => {
        seen.push(inv);
        if (inv.state === 'settled') resolve();
      });
    });
    await new Promise((r) => setImmediate(r)); // the subscription's first report: the current state
    const paid = net.pay('seller', { request: added.value.request, maxFeeSats: 500 });
    assert.ok(paid.ok);
    const held = await node.getHoldInvoice(hash);
    assert.ok(held.ok);
    assert.equal(held.value.state, 'accepted');
    assert.equal(held.value.htlcExpiryHeight, net.height() + 60);
    // the buyer's invoice is probed, then paid from the node's wallet after settle
    const buyerInvoice = net.createInvoice('buyer', { amountSats: 99_000 });
    assert.ok(buyerInvoice.ok);
    const probeEarly = await node.probeRoute(buyerInvoice.value.request, 99_000, 300);
    assert.equal(probeEarly.ok ? 'ok' : probeEarly.error.code, 'payment_failed', 'node has no funds before settle');
    assert.deepEqual(await node.settleHoldInvoice(preimage), { ok: true, value: undefined });
    await done;
    assert.deepEqual(
      seen.map((s) => s.state),
      ['open', 'accepted', 'settled'],
    );
    const probe = await node.probeRoute(buyerInvoice.value.request, 99_000, 300);
    assert.ok(probe.ok);
    const payout = await node.pay({ request: buyerInvoice.value.request, maxFeeSats: 300, timeoutSeconds: 60 });
    assert.ok(payout.ok);
    assert.equal(payout.value.state, 'succeeded');
    assert.equal(payout.value.feeSats, probe.value.feeSats);
    assert.equal(payout.value.amountSats, 99_000);
    const again = await node.getPayment(payout.value.hash);
    assert.deepEqual(again, payout);
    assert.equal(balance(net, 'buyer'), 99_000_000n);
    // seller paid = buyer received + node keeps the rest + routing fees
    const a = net.audit();
    assert.equal(balance(net, 'seller') + a.feesMsat + balance(net, 'mostro') + balance(net, 'buyer'), 200_000_000n);
    assertConserved(net);
    await node.close();
    net.close();
  });

  test('errors are values with the interface codes', async () => {
    const { net, node } = setup();
    const missing = await node.getHoldInvoice('00'.repeat(32));
    assert.equal(missing.ok ? 'ok' : missing.error.code, 'not_found');
    const badPay = await node.pay({ request: 'nonsense', maxFeeSats: 1, timeoutSeconds: 5 });
    assert.equal(badPay.ok ? 'ok' : badPay.error.code, 'invalid_invoice');
    const noPayment = await node.getPayment('11'.repeat(32));
    assert.equal(noPayment.ok ? 'ok' : noPayment.error.code, 'not_found');
    const badHold = await node.addHoldInvoice({ hash: 'x', amountSats: 1, memo: '', expirySeconds: 60, cltvDelta: 40 });
    assert.equal(badHold.ok, false);
    const cancelMissing = await node.cancelHoldInvoice('22'.repeat(32));
    assert.equal(cancelMissing.ok ? 'ok' : cancelMissing.error.code, 'not_found');
    await node.close();
    net.close();
    const info = await node.getInfo();
    assert.equal(info.ok ? 'ok' : info.error.code, 'unavailable', 'a closed network is unavailable, not a crash');
    const gone = await node.getPayment('11'.repeat(32));
    assert.equal(gone.ok ? 'ok' : gone.error.code, 'unavailable');
  });

  test('a hold invoice canceled by the node near CLTV reaches the subscriber', async () => {
    const { clock, net, node } = setup();
    net.fund('seller', 20_000);
    const { hash } = preimagePair();
    const added = await node.addHoldInvoice({ hash, amountSats: 10_000, memo: '', expirySeconds: 900, cltvDelta: 20 });
    assert.ok(added.ok);
    assert.ok(net.pay('seller', { request: added.value.request, maxFeeSats: 100 }).ok);
    const states: string[] = [];
    const canceled = new Promise<void>((resolve) => {
      node.subscribeHoldInvoice(hash, (inv) => {
        states.push(inv.state);
        if (inv.state === 'canceled') resolve();
      });
    });
    await new Promise((r) => setImmediate(r));
    clock.advance(8 * 600);
    net.tick();
    await canceled;
    assert.deepEqual(states, ['accepted', 'canceled']);
    assert.equal(balance(net, 'seller'), 20_000_000n);
    await node.close();
    net.close();
  });
});

test('startSimulatedLightning: backend, wallet API and file survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simnet-embedded-'));
  try {
    const path = join(dir, 'lightning.sqlite');
    const first = await startSimulatedLightning({ path, walletApiPort: 0, tickMs: 0 });
    assert.ok(first.walletApi);
    const { hash } = preimagePair();
    const added = await first.backend.addHoldInvoice({
      hash,
      amountSats: 5000,
      memo: 'm',
      expirySeconds: 600,
      cltvDelta: 60,
    });
    assert.ok(added.ok);
    await fetch(`${first.walletApi.url}/wallets/seller/fund`, { method: 'POST', body: '{"amount_sats":9000}' });
    const paid = await fetch(`${first.walletApi.url}/wallets/seller/pay`, {
      method: 'POST',
      body: JSON.stringify({ request: added.value.request }),
    });
    assert.equal(((await paid.json()) as { state: string }).state, 'in_flight');
    const info = await first.backend.getInfo();
    await first.close();
    const second = await startSimulatedLightning({ path, walletApiPort: null, tickMs: 0 });
    assert.equal(second.walletApi, null);
    const again = await second.backend.getInfo();
    assert.equal(again.ok && again.value.pubkey, info.ok && info.value.pubkey, 'same node key after restart');
    const held = await second.backend.getHoldInvoice(hash);
    assert.equal(held.ok && held.value.state, 'accepted');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
