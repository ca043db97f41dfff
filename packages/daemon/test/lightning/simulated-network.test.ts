import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import Database from 'better-sqlite3';
import invoices from 'invoices';
import { decodeInvoice, encodeInvoice } from '../../src/lightning/simulated/bolt11.ts';
import { SimulatedNetwork } from '../../src/lightning/simulated/network.ts';
import { SCHEMA_VERSION } from '../../src/lightning/simulated/store.ts';
import { assertConserved, balance, preimagePair, TestClock } from './simulated-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'simnet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fresh(opts: { feeBaseMsat?: number; feePpm?: number } = {}) {
  const clock = new TestClock();
  const net = new SimulatedNetwork({ clock, tickMs: 0, feeBaseMsat: 1000, feePpm: 1000, ...opts });
  return { clock, net };
}

const hold = (net: SimulatedNetwork, wallet: string, hash: string, amountSats = 10_000, cltvDelta = 144) =>
  net.addHoldInvoice(wallet, { hash, amountSats, memo: 'escrow', expirySeconds: 3600, cltvDelta });

describe('BOLT-11', () => {
  test('an invoice made here decodes with invoices.parsePaymentRequest and decodeInvoice', () => {
    const { net } = fresh();
    const inv = net.createInvoice('alice', { amountSats: 1234, memo: 'coffee', expirySeconds: 900, cltvDelta: 40 });
    assert.ok(inv.ok);
    assert.match(inv.value.request, /^lnbcrt12340n1/);
    const parsed = invoices.parsePaymentRequest({ request: inv.value.request });
    const pubkey = net.nodePubkey('alice');
    assert.ok(pubkey.ok);
    assert.equal(parsed.destination, pubkey.value, 'signature recovers the wallet node key');
    assert.equal(parsed.id, inv.value.hash);
    assert.equal(parsed.mtokens, '1234000');
    assert.equal(parsed.network, 'regtest');
    assert.equal(parsed.description, 'coffee');
    assert.equal(parsed.cltv_delta, 40);
    assert.equal(Date.parse(parsed.expires_at) - Date.parse(parsed.created_at), 900_000);
    assert.ok(
      parsed.features.some((f) => f.bit === 14),
      'payment secret feature',
    );
    const d = decodeInvoice(inv.value.request);
    assert.ok(d.ok);
    assert.deepEqual(d.value, {
      network: 'regtest',
      hash: inv.value.hash,
      amountMsat: 1_234_000n,
      createdAt: 1_700_000_000,
      expirySeconds: 900,
      minFinalCltvExpiry: 40,
      destination: pubkey.value,
      description: 'coffee',
    });
    net.close();
  });

  test('decodes a mainnet invoice from elsewhere and an amountless one', () => {
    const key = secp256k1.utils.randomSecretKey();
    const req = encodeInvoice({
      nodeKey: key,
      network: 'bitcoin',
      hash: 'ab'.repeat(32),
      amountMsat: null,
      description: 'tip',
      createdAt: 1_600_000_000,
      expirySeconds: 60,
      cltvDelta: 18,
      paymentSecret: 'cd'.repeat(32),
    });
    assert.match(req, /^lnbc1/);
    const d = decodeInvoice(req.toUpperCase());
    assert.ok(d.ok);
    assert.equal(d.value.network, 'bitcoin');
    assert.equal(d.value.amountMsat, null);
    assert.equal(d.value.destination, bytesToHex(secp256k1.getPublicKey(key, true)));
  });

  test('decodes the BOLT-11 spec donation example (made elsewhere, no payment secret)', () => {
    // From BOLT #11 "Examples": any amount, to 03e7156a..., "Please consider supporting this project"
    const request =
      'lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w';
    const d = decodeInvoice(request);
    assert.ok(d.ok);
    assert.deepEqual(d.value, {
      network: 'bitcoin',
      hash: '0001020304050607080900010203040506070809000102030405060708090102',
      amountMsat: null,
      createdAt: 1_496_314_658,
      expirySeconds: 3600,
      minFinalCltvExpiry: 18,
      destination: '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad',
      description: 'Please consider supporting this project',
    });
    const { net } = fresh();
    net.fund('payer', 1000);
    const r = net.pay('payer', { request, amountSats: 10, maxFeeSats: 10 });
    assert.equal(r.ok ? 'ok' : r.error.code, 'invalid_invoice', 'a mainnet invoice is not payable on regtest');
    net.close();
  });

  test('a request whose signature does not match its payee (n) field is refused', () => {
    const claimed = bytesToHex(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
    const unsigned = invoices.createUnsignedRequest({
      description: 'forged',
      destination: claimed,
      id: 'ab'.repeat(32),
      mtokens: '1000',
      network: 'regtest',
    });
    const signer = secp256k1.utils.randomSecretKey();
    const sig = secp256k1.sign(hexToBytes(unsigned.hash), signer, { prehash: false, format: 'recovered' });
    const compactWithFlag = new Uint8Array([...sig.slice(1), sig[0]!]);
    const request = bech32.encode(unsigned.hrp, [...unsigned.tags, ...bech32.toWords(compactWithFlag)], false);
    assert.equal(
      invoices.parsePaymentRequest({ request }).destination,
      bytesToHex(secp256k1.getPublicKey(signer, true)),
      'the signature itself is valid: it recovers the signer',
    );
    const d = decodeInvoice(request);
    assert.equal(d.ok ? 'ok' : d.error.message, 'signature does not match the payee node key');
  });

  test('rejects garbage, a flipped character, and a forged payee key', () => {
    for (const bad of ['', 'hello', 'lnbcrt1qqqq', 'x'.repeat(10_000)]) {
      const d = decodeInvoice(bad);
      assert.equal(d.ok, false);
      if (!d.ok) assert.equal(d.error.code, 'invalid_invoice');
    }
    const { net } = fresh();
    const inv = net.createInvoice('bob', { amountSats: 10 });
    assert.ok(inv.ok);
    const s = inv.value.request;
    const i = s.length - 20;
    const flipped = s.slice(0, i) + (s[i] === 'q' ? 'p' : 'q') + s.slice(i + 1);
    assert.equal(decodeInvoice(flipped).ok, false, 'checksum catches a changed character');
    net.close();
  });
});

describe('hold invoices', () => {
  test('open → accepted → settled moves the money once, conserved at every step', () => {
    const { net } = fresh();
    net.fund('seller', 50_000);
    assertConserved(net);
    const { preimage, hash } = preimagePair();
    const inv = hold(net, 'node', hash);
    assert.ok(inv.ok);
    assert.equal(inv.value.state, 'open');
    const paid = net.pay('seller', { request: inv.value.request, maxFeeSats: 100 });
    assert.ok(paid.ok);
    assert.equal(paid.value.state, 'in_flight');
    // fee: 1000 msat base + 1000 ppm of 10_000 sat = 11 sat
    assert.equal(paid.value.feeMsat, 11_000n);
    assert.equal(balance(net, 'seller'), (50_000n - 10_011n) * 1000n, 'payer debited at send');
    assert.equal(balance(net, 'node'), 0n, 'payee not credited while held');
    assertConserved(net);
    const accepted = net.getInvoice(hash);
    assert.ok(accepted.ok);
    assert.equal(accepted.value.state, 'accepted');
    assert.equal(accepted.value.htlcExpiryHeight, net.height() + 144);
    assert.deepEqual(net.settleHoldInvoice('node', preimage), { ok: true, value: undefined });
    assert.equal(balance(net, 'node'), 10_000_000n);
    const p = net.getPayment('seller', hash);
    assert.ok(p.ok);
    assert.equal(p.value.state, 'succeeded');
    assert.equal(p.value.preimage, preimage);
    assertConserved(net);
    assert.equal(net.audit().feesMsat, 11_000n);
    // a retried settle is harmless; cancel after settle is refused
    assert.ok(net.settleHoldInvoice('node', preimage).ok);
    assert.equal(balance(net, 'node'), 10_000_000n);
    const c = net.cancelHoldInvoice('node', hash);
    assert.equal(c.ok ? 'ok' : c.error.code, 'invalid_state');
    net.close();
  });

  test('cancel refunds amount and fee; settle of a canceled invoice is refused', () => {
    const { net } = fresh();
    net.fund('seller', 20_000);
    const { preimage, hash } = preimagePair();
    const inv = hold(net, 'node', hash);
    assert.ok(inv.ok);
    assert.ok(net.pay('seller', { request: inv.value.request, maxFeeSats: 100 }).ok);
    assert.ok(net.cancelHoldInvoice('node', hash).ok);
    assert.equal(balance(net, 'seller'), 20_000_000n);
    const p = net.getPayment('seller', hash);
    assert.ok(p.ok);
    assert.equal(p.value.state, 'failed');
    assert.equal(p.value.failure, 'payment_failed');
    const s = net.settleHoldInvoice('node', preimage);
    assert.equal(s.ok ? 'ok' : s.error.code, 'invalid_state');
    assertConserved(net);
    net.close();
  });

  test('settle with a wrong preimage or from another wallet is refused', () => {
    const { net } = fresh();
    net.fund('seller', 20_000);
    const { preimage, hash } = preimagePair();
    const inv = hold(net, 'node', hash);
    assert.ok(inv.ok);
    assert.ok(net.pay('seller', { request: inv.value.request, maxFeeSats: 100 }).ok);
    const wrong = net.settleHoldInvoice('node', preimagePair().preimage);
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'not_found');
    const other = net.settleHoldInvoice('seller', preimage);
    assert.equal(other.ok ? 'ok' : other.error.code, 'not_found');
    const bad = net.settleHoldInvoice('node', 'zz');
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'invalid_argument');
    assert.equal(balance(net, 'node'), 0n);
    assertConserved(net);
    net.close();
  });

  test('a second hold invoice for the same hash is already_exists', () => {
    const { net } = fresh();
    const { hash } = preimagePair();
    assert.ok(hold(net, 'node', hash).ok);
    const again = hold(net, 'node', hash);
    assert.equal(again.ok ? 'ok' : again.error.code, 'already_exists');
    net.close();
  });

  test('the network cancels an accepted hold invoice holdExpiryDelta blocks before its CLTV', async () => {
    const { clock, net } = fresh();
    net.fund('seller', 20_000);
    const { hash } = preimagePair();
    const inv = hold(net, 'node', hash, 10_000, 30);
    assert.ok(inv.ok);
    const updates: string[] = [];
    net.onInvoiceUpdate((i) => {
      if (i.hash === hash) updates.push(i.state);
    });
    const start = net.height();
    assert.ok(net.pay('seller', { request: inv.value.request, maxFeeSats: 100 }).ok);
    const accepted = net.getInvoice(hash);
    assert.ok(accepted.ok);
    assert.equal(accepted.value.htlcExpiryHeight, start + 30);
    // 17 blocks by the clock (one per 600 s): 30 - 17 = 13 > 12, still accepted
    clock.advance(17 * 600 + 599);
    net.tick();
    assert.equal(net.height(), start + 17);
    const still = net.getInvoice(hash);
    assert.equal(still.ok && still.value.state, 'accepted');
    clock.advance(1); // block 18: 12 blocks before expiry
    net.tick();
    const canceled = net.getInvoice(hash);
    assert.equal(canceled.ok && canceled.value.state, 'canceled');
    assert.equal(balance(net, 'seller'), 20_000_000n, 'refunded');
    assert.deepEqual(updates, [], 'listeners run after the call, never inside it');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(updates, ['accepted', 'canceled']);
    assertConserved(net);
    net.close();
  });

  test('mineBlocks also brings the auto-cancel', () => {
    const { net } = fresh();
    net.fund('seller', 20_000);
    const { hash } = preimagePair();
    const inv = hold(net, 'node', hash, 1000, 40);
    assert.ok(inv.ok);
    assert.ok(net.pay('seller', { request: inv.value.request, maxFeeSats: 100 }).ok);
    assert.ok(net.mineBlocks(27).ok);
    const before = net.getInvoice(hash);
    assert.equal(before.ok && before.value.state, 'accepted');
    assert.ok(net.mineBlocks(1).ok);
    const r = net.getInvoice(hash);
    assert.equal(r.ok && r.value.state, 'canceled');
    net.close();
  });
});

describe('payments', () => {
  test('a regular invoice is paid at once; an expired one cannot be paid', () => {
    const { clock, net } = fresh({ feeBaseMsat: 0, feePpm: 0 });
    net.fund('buyer', 1000);
    net.fund('payer', 5000);
    const inv = net.createInvoice('buyer', { amountSats: 700, memo: 'payout', expirySeconds: 60 });
    assert.ok(inv.ok);
    const paid = net.pay('payer', { request: inv.value.request, maxFeeSats: 0 });
    assert.ok(paid.ok);
    assert.equal(paid.value.state, 'succeeded');
    assert.equal(balance(net, 'buyer'), 1_700_000n);
    const i2 = net.getInvoice(inv.value.hash);
    assert.equal(i2.ok && i2.value.state, 'settled');
    const late = net.createInvoice('buyer', { amountSats: 100, expirySeconds: 60 });
    assert.ok(late.ok);
    clock.advance(61);
    const r = net.pay('payer', { request: late.value.request, maxFeeSats: 10 });
    assert.equal(r.ok ? 'ok' : r.error.code, 'expired');
    assert.equal(balance(net, 'payer'), 4_300_000n);
    const exp = net.getInvoice(late.value.hash);
    assert.equal(exp.ok && exp.value.state, 'canceled');
    assertConserved(net);
    net.close();
  });

  test('pay is idempotent by hash: a second pay never pays twice', () => {
    const { net } = fresh();
    net.fund('payer', 5000);
    const inv = net.createInvoice('buyer', { amountSats: 1000 });
    assert.ok(inv.ok);
    const first = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
    const second = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
    assert.ok(first.ok && second.ok);
    assert.deepEqual(second.value, first.value);
    assert.equal(balance(net, 'buyer'), 1_000_000n);
    assert.equal(balance(net, 'payer'), (5000n - 1000n - 2n) * 1000n); // fee: 1 sat base + 1000 ppm of 1000 sat
    net.close();
  });

  test('idempotent while in flight too (hold invoice accepted)', () => {
    const { net } = fresh();
    net.fund('payer', 5000);
    const { hash } = preimagePair();
    const inv = hold(net, 'node', hash, 1000);
    assert.ok(inv.ok);
    const a = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
    const b = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
    assert.ok(a.ok && b.ok);
    assert.equal(b.value.state, 'in_flight');
    assert.equal(net.audit().inFlightMsat, a.value.amountMsat + a.value.feeMsat);
    // another wallet cannot pay an invoice already accepted
    net.fund('other', 5000);
    const c = net.pay('other', { request: inv.value.request, maxFeeSats: 10 });
    assert.equal(c.ok ? 'ok' : c.error.code, 'payment_failed');
    assert.equal(balance(net, 'other'), 5_000_000n);
    assertConserved(net);
    net.close();
  });

  test('amountless invoice needs an amount; a wrong amount is refused; self-payment refused', () => {
    const { net } = fresh();
    net.fund('payer', 5000);
    const any = net.createInvoice('buyer', { amountSats: null });
    assert.ok(any.ok);
    const no = net.pay('payer', { request: any.value.request, maxFeeSats: 10 });
    assert.equal(no.ok ? 'ok' : no.error.code, 'invalid_invoice');
    const yes = net.pay('payer', { request: any.value.request, amountSats: 321, maxFeeSats: 10 });
    assert.ok(yes.ok);
    assert.equal(balance(net, 'buyer'), 321_000n);
    const fixed = net.createInvoice('buyer', { amountSats: 100 });
    assert.ok(fixed.ok);
    const wrong = net.pay('payer', { request: fixed.value.request, amountSats: 99, maxFeeSats: 10 });
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'invalid_invoice');
    const own = net.createInvoice('payer', { amountSats: 100 });
    assert.ok(own.ok);
    const self = net.pay('payer', { request: own.value.request, maxFeeSats: 10 });
    assert.equal(self.ok ? 'ok' : self.error.code, 'payment_failed');
    assertConserved(net);
    net.close();
  });

  test('insufficient balance fails without moving money; an outside invoice has no route', () => {
    const { net } = fresh();
    net.fund('payer', 100);
    const inv = net.createInvoice('buyer', { amountSats: 100 });
    assert.ok(inv.ok);
    const r = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
    assert.equal(r.ok ? 'ok' : r.error.code, 'payment_failed', 'fee does not fit');
    assert.equal(balance(net, 'payer'), 100_000n);
    const outside = encodeInvoice({
      nodeKey: secp256k1.utils.randomSecretKey(),
      network: 'regtest',
      hash: preimagePair().hash,
      amountMsat: 1000n,
      description: '',
      createdAt: 1_700_000_000,
      expirySeconds: 3600,
      cltvDelta: 18,
      paymentSecret: '00'.repeat(32),
    });
    const o = net.pay('payer', { request: outside, maxFeeSats: 10 });
    assert.equal(o.ok ? 'ok' : o.error.code, 'no_route');
    const decoded = decodeInvoice(outside);
    assert.ok(decoded.ok);
    const rec = net.getPayment('payer', decoded.value.hash);
    assert.equal(rec.ok && rec.value.state, 'failed');
    net.close();
  });

  test('routing fee above maxFeeSats is fee_too_high', () => {
    const { net } = fresh({ feeBaseMsat: 0, feePpm: 10_000 }); // 1%
    net.fund('payer', 100_000);
    const inv = net.createInvoice('buyer', { amountSats: 50_000 });
    assert.ok(inv.ok);
    const r = net.pay('payer', { request: inv.value.request, maxFeeSats: 499 });
    assert.equal(r.ok ? 'ok' : r.error.code, 'fee_too_high');
    const probe = net.probeRoute('payer', { request: inv.value.request, maxFeeSats: 500 });
    assert.deepEqual(probe, { ok: true, value: { feeMsat: 500_000n } });
    const paid = net.pay('payer', { request: inv.value.request, maxFeeSats: 500 });
    assert.ok(paid.ok);
    assert.equal(paid.value.state, 'succeeded');
    assert.equal(balance(net, 'payer'), 49_500_000n);
    assertConserved(net);
    net.close();
  });
});

describe('injected failures', () => {
  for (const failure of ['no_route', 'payee_offline', 'fee_too_high'] as const) {
    test(`${failure} by destination: probe and pay fail, nothing moves, the rule expires after its uses`, () => {
      const { net } = fresh();
      net.fund('payer', 5000);
      assert.ok(net.injectFailure({ wallet: 'buyer', failure, times: 1 }).ok);
      const inv = net.createInvoice('buyer', { amountSats: 1000 });
      assert.ok(inv.ok);
      const probe = net.probeRoute('payer', { request: inv.value.request, maxFeeSats: 10 });
      assert.equal(probe.ok ? 'ok' : probe.error.code, failure);
      const r = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
      assert.equal(r.ok ? 'ok' : r.error.code, failure);
      assert.equal(balance(net, 'payer'), 5_000_000n);
      const rec = net.getPayment('payer', inv.value.hash);
      assert.ok(rec.ok);
      assert.equal(rec.value.state, 'failed');
      assert.equal(rec.value.failure, failure);
      const retry = net.pay('payer', { request: inv.value.request, maxFeeSats: 10 });
      assert.ok(retry.ok, 'rule used up: the retry goes through');
      assert.equal(retry.value.state, 'succeeded');
      assertConserved(net);
      net.close();
    });
  }

  test('a hash rule hits only that payment', () => {
    const { net } = fresh();
    net.fund('payer', 5000);
    const a = net.createInvoice('buyer', { amountSats: 100 });
    const b = net.createInvoice('buyer', { amountSats: 100 });
    assert.ok(a.ok && b.ok);
    assert.ok(net.injectFailure({ hash: a.value.hash, failure: 'no_route' }).ok);
    const ra = net.pay('payer', { request: a.value.request, maxFeeSats: 10 });
    assert.equal(ra.ok ? 'ok' : ra.error.code, 'no_route');
    assert.ok(net.pay('payer', { request: b.value.request, maxFeeSats: 10 }).ok);
    net.clearFailures();
    assert.ok(net.pay('payer', { request: a.value.request, maxFeeSats: 10 }).ok);
    net.close();
  });

  test('stuck stays in flight until released, or until its HTLC times out', () => {
    const { net } = fresh();
    net.fund('payer', 5000);
    assert.ok(net.injectFailure({ wallet: 'buyer', failure: 'stuck' }).ok);
    const a = net.createInvoice('buyer', { amountSats: 1000, cltvDelta: 40, expirySeconds: 86_400 });
    const b = net.createInvoice('buyer', { amountSats: 1000, cltvDelta: 40, expirySeconds: 86_400 });
    assert.ok(a.ok && b.ok);
    const probe = net.probeRoute('payer', { request: a.value.request, maxFeeSats: 10 });
    assert.equal(probe.ok ? 'ok' : probe.error.code, 'timeout');
    const pa = net.pay('payer', { request: a.value.request, maxFeeSats: 10 });
    assert.ok(pa.ok);
    assert.equal(pa.value.state, 'in_flight');
    assert.equal(balance(net, 'buyer'), 0n);
    assertConserved(net);
    const again = net.pay('payer', { request: a.value.request, maxFeeSats: 10 });
    assert.equal(again.ok && again.value.state, 'in_flight', 'idempotent while stuck');
    const released = net.releasePayment('payer', a.value.hash, 'deliver');
    assert.ok(released.ok);
    assert.equal(released.value.state, 'succeeded');
    assert.equal(balance(net, 'buyer'), 1_000_000n);
    const pb = net.pay('payer', { request: b.value.request, maxFeeSats: 10 });
    assert.equal(pb.ok && pb.value.state, 'in_flight');
    const before = balance(net, 'payer');
    net.mineBlocks(80); // 40 final + 40 route CLTV
    const timedOut = net.getPayment('payer', b.value.hash);
    assert.ok(timedOut.ok);
    assert.equal(timedOut.value.state, 'failed');
    assert.equal(timedOut.value.failure, 'timeout');
    assert.equal(balance(net, 'payer'), before + 1_002_000n, 'amount and fee refunded');
    assertConserved(net);
    net.close();
  });
});

test('a stuck payment released after someone else paid the invoice fails back', () => {
  const { net } = fresh();
  net.fund('a', 5000);
  net.fund('b', 5000);
  const inv = net.createInvoice('shop', { amountSats: 1000 });
  assert.ok(inv.ok);
  assert.ok(net.injectFailure({ hash: inv.value.hash, failure: 'stuck', times: 1 }).ok);
  const first = net.pay('a', { request: inv.value.request, maxFeeSats: 10 });
  assert.equal(first.ok && first.value.state, 'in_flight');
  const second = net.pay('b', { request: inv.value.request, maxFeeSats: 10 });
  assert.equal(second.ok && second.value.state, 'succeeded');
  const released = net.releasePayment('a', inv.value.hash, 'deliver');
  assert.ok(released.ok);
  assert.equal(released.value.state, 'failed');
  assert.equal(released.value.failure, 'payment_failed');
  assert.equal(balance(net, 'a'), 5_000_000n);
  assert.equal(balance(net, 'shop'), 1_000_000n, 'paid once');
  assertConserved(net);
  net.close();
});

describe('persistence', () => {
  test('closing and reopening the SQLite file gives the same network', () => {
    const path = join(dir, 'persist.sqlite');
    const clock = new TestClock();
    const net = new SimulatedNetwork({ path, clock, tickMs: 0 });
    net.fund('seller', 30_000);
    const { preimage, hash } = preimagePair();
    const inv = hold(net, 'node', hash);
    assert.ok(inv.ok);
    assert.ok(net.pay('seller', { request: inv.value.request, maxFeeSats: 100 }).ok);
    net.mineBlocks(5);
    const snapshot = {
      wallets: net.wallets(),
      invoices: net.invoices('node'),
      payments: net.payments('seller'),
      audit: net.audit(),
    };
    net.close();
    const reopened = new SimulatedNetwork({ path, clock, tickMs: 0 });
    assert.deepEqual(
      {
        wallets: reopened.wallets(),
        invoices: reopened.invoices('node'),
        payments: reopened.payments('seller'),
        audit: reopened.audit(),
      },
      snapshot,
    );
    assert.ok(reopened.settleHoldInvoice('node', preimage).ok, 'the reopened network settles the held payment');
    assert.equal(balance(reopened, 'node'), 10_000_000n);
    assertConserved(reopened);
    reopened.close();
  });

  test('the schema is versioned: a fresh file is migrated, a newer one is refused', () => {
    const path = join(dir, 'schema.sqlite');
    new SimulatedNetwork({ path, tickMs: 0 }).close();
    const db = new Database(path);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => new SimulatedNetwork({ path, tickMs: 0 }), /newer than this code/);
  });

  test('bad input changes nothing', () => {
    const { net } = fresh();
    net.fund('payer', 100);
    const before = { w: net.wallets(), a: net.audit() };
    for (const r of [
      net.fund('payer', -5),
      net.fund('payer', 1.5),
      net.fund('bad name!', 5),
      net.pay('payer', { request: 'lnbcrt-nonsense', maxFeeSats: 1 }),
      net.addHoldInvoice('node', { hash: 'xyz', amountSats: 1, memo: '', expirySeconds: 60, cltvDelta: 40 }),
      net.addHoldInvoice('node', {
        hash: preimagePair().hash,
        amountSats: 0,
        memo: '',
        expirySeconds: 60,
        cltvDelta: 40,
      }),
      net.mineBlocks(0),
    ]) {
      assert.equal(r.ok, false);
    }
    assert.deepEqual({ w: net.wallets(), a: net.audit() }, before);
    net.close();
  });
});
