import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createSimulatedBackend,
  SimulatedNetwork,
  startWalletServer,
  type WalletServer,
} from '../../src/lightning/simulated/index.ts';
import { preimagePair, TestClock } from './simulated-helpers.ts';

let net: SimulatedNetwork;
let server: WalletServer;
const clock = new TestClock();

before(async () => {
  net = new SimulatedNetwork({ clock, tickMs: 0 });
  server = await startWalletServer(net, { port: 0 });
});
after(async () => {
  await server.close();
  net.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whichever JSON fields they check
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('wallet HTTP API', () => {
  test('listens on 127.0.0.1 and says it is simulated', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await api('GET', '/info');
    assert.equal(r.status, 200);
    assert.equal(r.json.simulated, true);
    assert.equal(r.json.network, 'regtest');
    assert.equal(r.json.injectable_clock, true);
  });

  test('fund, invoice, pay, balance, payments', async () => {
    const f = await api('POST', '/wallets/alice/fund', { amount_sats: 50_000 });
    assert.equal(f.status, 200);
    assert.equal(f.json.balance_sats, 50_000);
    const inv = await api('POST', '/wallets/bob/invoice', { amount_sats: 12_345, memo: 'fiat trade' });
    assert.equal(inv.status, 200);
    assert.match(inv.json.bolt11, /^lnbcrt/);
    const pay = await api('POST', '/wallets/alice/pay', { request: inv.json.bolt11 });
    assert.equal(pay.status, 200);
    assert.equal(pay.json.state, 'succeeded');
    assert.equal(pay.json.amount_sats, 12_345);
    const bob = await api('GET', '/wallets/bob/balance');
    assert.equal(bob.json.balance_sats, 12_345);
    assert.equal(bob.json.simulated, true);
    const alice = await api('GET', '/wallets/alice/balance');
    assert.equal(alice.json.balance_sats, 50_000 - 12_345 - pay.json.fee_sats);
    const list = await api('GET', '/wallets/bob/payments');
    assert.equal(list.json.incoming.length, 1);
    assert.equal(list.json.incoming[0].state, 'paid');
    const sent = await api('GET', '/wallets/alice/payments');
    assert.equal(sent.json.outgoing[0].hash, inv.json.hash);
  });

  test('paying a hold invoice returns once accepted', async () => {
    await api('POST', '/wallets/seller/fund', { amount_sats: 30_000 });
    const { hash } = preimagePair();
    const hold = net.addHoldInvoice('node', {
      hash,
      amountSats: 20_000,
      memo: 'escrow',
      expirySeconds: 600,
      cltvDelta: 50,
    });
    assert.ok(hold.ok);
    const pay = await api('POST', '/wallets/seller/pay', { request: hold.value.request });
    assert.equal(pay.status, 200);
    assert.equal(pay.json.state, 'in_flight');
    const inv = net.getInvoice(hash);
    assert.equal(inv.ok && inv.value.state, 'accepted');
    // the clock: 38 blocks → 12 before the HTLC expiry: canceled and refunded
    const adv = await api('POST', '/admin/advance', { seconds: 38 * 600 });
    assert.equal(adv.status, 200);
    const after = net.getInvoice(hash);
    assert.equal(after.ok && after.value.state, 'canceled');
    const bal = await api('GET', '/wallets/seller/balance');
    assert.equal(bal.json.balance_sats, 30_000);
    const mined = await api('POST', '/admin/mine', { blocks: 3 });
    assert.equal(mined.json.block_height, adv.json.block_height + 3);
  });

  test('failure injection and release over the admin API', async () => {
    await api('POST', '/wallets/carol/fund', { amount_sats: 10_000 });
    const inv = await api('POST', '/wallets/dave/invoice', { amount_sats: 1000 });
    const rule = await api('POST', '/admin/fail', { wallet: 'dave', failure: 'payee_offline', times: 1 });
    assert.equal(rule.status, 200);
    const failed = await api('POST', '/wallets/carol/pay', { request: inv.json.bolt11 });
    assert.equal(failed.status, 422);
    assert.equal(failed.json.error.code, 'payee_offline');
    await api('POST', '/admin/fail', { hash: inv.json.hash, failure: 'stuck' });
    const stuck = await api('POST', '/wallets/carol/pay', { request: inv.json.bolt11 });
    assert.equal(stuck.json.state, 'in_flight');
    const released = await api('POST', '/admin/release', { wallet: 'carol', hash: inv.json.hash, outcome: 'deliver' });
    assert.equal(released.json.state, 'succeeded');
    assert.equal((await api('POST', '/admin/fail', { clear: true })).json.cleared, true);
    const { hash } = preimagePair();
    const hold = net.addHoldInvoice('node', { hash, amountSats: 500, memo: '', expirySeconds: 600, cltvDelta: 50 });
    assert.ok(hold.ok);
    await api('POST', '/wallets/carol/pay', { request: hold.value.request });
    assert.equal((await api('GET', `/admin/invoices/${hash}`)).json.state, 'accepted');
    const canceled = await api('POST', '/admin/cancel-invoice', { hash });
    assert.equal(canceled.status, 200);
    assert.equal(canceled.json.state, 'canceled');
    const refunded = net.getPayment('carol', hash);
    assert.equal(refunded.ok && refunded.value.state, 'failed');
    const audit = await api('GET', '/admin/audit');
    assert.equal(audit.json.conserved, true);
  });

  test('bad requests are clear errors and change nothing', async () => {
    const before = await api('GET', '/admin/audit');
    const cases: [string, string, unknown, number][] = [
      ['POST', '/wallets/alice/fund', { amount_sats: -1 }, 400],
      ['POST', '/wallets/alice/fund', { amount_sats: '100' }, 400],
      ['POST', '/wallets/alice/fund', '{not json', 400],
      ['POST', '/wallets/alice/fund', [1, 2], 400],
      ['POST', '/wallets/bad%20name/fund', { amount_sats: 1 }, 400],
      ['POST', '/wallets/alice/pay', { request: 'lnbc1garbage' }, 400],
      ['POST', '/wallets/alice/pay', {}, 400],
      ['POST', '/wallets/alice/invoice', { amount_sats: 1.5 }, 400],
      ['POST', '/admin/fail', { failure: 'meteor', wallet: 'x' }, 400],
      ['GET', '/wallets/alice/fund', undefined, 405],
      ['GET', '/nothing', undefined, 404],
      ['POST', '/wallets/alice/fund', JSON.stringify({ amount_sats: 1, pad: 'x'.repeat(70_000) }), 413],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await api(method, path, body);
      assert.equal(r.status, status, `${method} ${path}`);
      assert.equal(typeof r.json.error.message, 'string');
    }
    assert.deepEqual(await api('GET', '/admin/audit'), before);
  });
});

test("the node's own wallet is readable but the API cannot spend, fund or invoice with it", async () => {
  const own = new SimulatedNetwork({ tickMs: 0 });
  createSimulatedBackend(own, 'mostro');
  own.fund('mostro', 1000);
  const s = await startWalletServer(own, { port: 0 });
  try {
    const bal = await fetch(`${s.url}/wallets/mostro/balance`);
    assert.equal(((await bal.json()) as { balance_sats: number }).balance_sats, 1000);
    const inv = own.createInvoice('user', { amountSats: 10 });
    assert.ok(inv.ok);
    for (const [path, body] of [
      ['/wallets/mostro/pay', { request: inv.value.request }],
      ['/wallets/mostro/fund', { amount_sats: 5 }],
      ['/wallets/mostro/invoice', { amount_sats: 5 }],
    ] as const) {
      const res = await fetch(s.url + path, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(res.status, 403, path);
    }
    const w = own.wallet('mostro');
    assert.equal(w.ok && w.value.balanceMsat, 1_000_000n);
  } finally {
    await s.close();
    own.close();
  }
});

test('clock endpoints are refused on the real clock', async () => {
  const real = new SimulatedNetwork({ tickMs: 0 });
  const s = await startWalletServer(real, { port: 0 });
  try {
    for (const [path, body] of [
      ['/admin/advance', { seconds: 60 }],
      ['/admin/mine', { blocks: 1 }],
    ] as const) {
      const res = await fetch(s.url + path, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(res.status, 409);
    }
  } finally {
    await s.close();
    real.close();
  }
});
