// The LND backend against real lnd nodes on regtest (started by scripts/regtest/setup.mjs):
// `node` is the Mostro node, `seller` pays its hold invoices, `buyer` is paid by it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { type AuthenticatedLnd, authenticatedLndGrpc, createInvoice, getChannels, getInvoice } from 'lightning';
import type { HoldInvoice, LightningBackend, LnResult } from '../../src/lightning/backend.ts';
import { createLndBackend } from '../../src/lightning/lnd/index.ts';
import { encodeInvoice } from '../../src/lightning/simulated/bolt11.ts';
import { lncli, lndConfigOf, mineBlocks, type RegtestEnv, type RegtestLnd, rawLnd, regtestEnv } from './regtest-env.ts';

const value = <T>(result: LnResult<T>): T => {
  if (!result.ok) assert.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
};
const errorCode = <T>(result: LnResult<T>) => (result.ok ? 'ok' : result.error.code);

/** Waits (not a timing assertion: only a bound so a broken network fails instead of hanging). */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const newPreimage = () => {
  const preimage = randomBytes(32);
  return { preimage: preimage.toString('hex'), hash: bytesToHex(sha256(preimage)) };
};

describe('LND backend on regtest', () => {
  let net: RegtestEnv;
  let node: LightningBackend;
  let seller: LightningBackend;
  let buyerLnd: AuthenticatedLnd;
  let sellerLnd: AuthenticatedLnd;

  before(async () => {
    net = regtestEnv();
    node = await createLndBackend(lndConfigOf(net.nodes.node));
    seller = await createLndBackend({
      grpcHost: net.nodes.seller.grpcHost,
      tlsCertPath: net.nodes.seller.tlsCertPath,
      macaroonPath: net.nodes.seller.macaroonPath,
    });
    buyerLnd = rawLnd(net.nodes.buyer);
    sellerLnd = rawLnd(net.nodes.seller);
  });

  after(async () => {
    await node?.close();
    await seller?.close();
    for (const lnd of [buyerLnd, sellerLnd]) for (const s of Object.values(lnd ?? {})) s?.close?.();
  });

  const buyerInvoice = async (tokens: number, extra: { expires_at?: string; description?: string } = {}) =>
    createInvoice({ lnd: buyerLnd, tokens, description: extra.description ?? 'buyer payout', ...extra });

  test('getInfo reports a real regtest node', async () => {
    const info = value(await node.getInfo());
    assert.equal(info.pubkey, net.nodes.node.pubkey);
    assert.deepEqual(info.networks, ['regtest']);
    assert.deepEqual(info.chains, ['bitcoin']);
    assert.equal(info.alias, 'node');
    assert.equal(info.simulated, false);
    assert.match(info.version, /0\.20\.1-beta/);
    assert.match(info.commitHash, /^[0-9a-f]{40}$/);
    assert.ok(info.blockHeight > 100);
  });

  test('a hold invoice is accepted when the seller pays, then settled: the seller paid once', async () => {
    const { preimage, hash } = newPreimage();
    const height = value(await node.getInfo()).blockHeight;
    const added = value(
      await node.addHoldInvoice({ hash, amountSats: 50_000, memo: 'escrow', expirySeconds: 600, cltvDelta: 144 }),
    );
    assert.equal(added.hash, hash);
    assert.equal(added.state, 'open');
    assert.equal(added.amountSats, 50_000);
    assert.equal(added.htlcExpiryHeight, null);
    assert.ok(added.expiresAt > Date.now() / 1000 + 500);
    const decoded = value(await node.decodeInvoice(added.request));
    assert.equal(decoded.hash, hash);
    assert.equal(decoded.amountMsat, 50_000_000n);
    assert.equal(decoded.minFinalCltvExpiry, 144);
    assert.equal(decoded.description, 'escrow');

    const seen: HoldInvoice[] = [];
    const unsubscribe = node.subscribeHoldInvoice(hash, (inv) => seen.push(inv));
    const paying = seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 120 });
    const accepted = await until('the hold invoice to be accepted', async () => {
      const inv = value(await node.getHoldInvoice(hash));
      return inv.state === 'accepted' && inv;
    });
    assert.ok(accepted.htlcExpiryHeight !== null);
    assert.ok(
      accepted.htlcExpiryHeight >= height + 144,
      `HTLC expiry ${accepted.htlcExpiryHeight} vs height ${height}`,
    );
    assert.equal(errorCode(await node.cancelHoldInvoice('zz')), 'not_found');
    const inFlight = value(await seller.getPayment(hash));
    assert.equal(inFlight.state, 'in_flight');

    value(await node.settleHoldInvoice(preimage));
    const paid = value(await paying);
    assert.equal(paid.state, 'succeeded');
    assert.equal(paid.preimage, preimage);
    assert.equal(paid.amountSats, 50_000);
    assert.equal(paid.feeSats, 0); // direct channel
    assert.equal(value(await node.getHoldInvoice(hash)).state, 'settled');
    assert.equal(value(await seller.getPayment(hash)).state, 'succeeded');

    // Idempotent settle; a settled invoice cannot be canceled.
    value(await node.settleHoldInvoice(preimage));
    assert.equal(errorCode(await node.cancelHoldInvoice(hash)), 'invalid_state');
    // Paying it again reports the earlier payment instead of paying twice.
    const again = value(await seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 30 }));
    assert.equal(again.state, 'succeeded');
    assert.equal(again.preimage, preimage);
    const received = await getInvoice({ lnd: rawLnd(net.nodes.node), id: hash });
    assert.equal(received.received, 50_000);

    await until('the subscription to see the settlement', async () => seen.at(-1)?.state === 'settled');
    unsubscribe();
    assert.deepEqual(
      seen.map((i) => i.state),
      ['open', 'accepted', 'settled'],
    );
    assert.equal(seen[1]?.htlcExpiryHeight, accepted.htlcExpiryHeight);
  });

  test('a canceled hold invoice fails the seller payment and returns the funds', async () => {
    const { preimage, hash } = newPreimage();
    const added = value(
      await node.addHoldInvoice({ hash, amountSats: 20_000, memo: 'to cancel', expirySeconds: 600, cltvDelta: 100 }),
    );
    assert.equal(errorCode(await node.settleHoldInvoice(preimage)), 'invalid_state'); // nothing accepted yet
    const paying = seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 120 });
    await until(
      'the hold invoice to be accepted',
      async () => value(await node.getHoldInvoice(hash)).state === 'accepted',
    );
    const htlcHeld = async () =>
      (await getChannels({ lnd: sellerLnd })).channels.some((c) => c.pending_payments.some((p) => p.id === hash));
    assert.equal(await htlcHeld(), true);

    value(await node.cancelHoldInvoice(hash));
    value(await node.cancelHoldInvoice(hash)); // idempotent
    const failed = value(await paying);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.preimage, null);
    assert.notEqual(failed.failure, null);
    assert.equal(value(await node.getHoldInvoice(hash)).state, 'canceled');
    assert.equal(value(await seller.getPayment(hash)).state, 'failed');
    await until('the seller HTLC to be released', async () => !(await htlcHeld()));
    assert.equal(errorCode(await node.settleHoldInvoice(preimage)), 'invalid_state');
  });

  test('a payment still held after its timeout is reported in flight, and not sent again', async () => {
    const { preimage, hash } = newPreimage();
    const added = value(
      await node.addHoldInvoice({ hash, amountSats: 7000, memo: 'held', expirySeconds: 600, cltvDelta: 144 }),
    );
    const first = value(await seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 2 }));
    assert.equal(first.state, 'in_flight');
    assert.equal(first.preimage, null);
    await until(
      'the hold invoice to be accepted',
      async () => value(await node.getHoldInvoice(hash)).state === 'accepted',
    );
    const again = value(await seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 2 }));
    assert.equal(again.state, 'in_flight');
    value(await node.settleHoldInvoice(preimage));
    await until(
      'the seller payment to succeed',
      async () => value(await seller.getPayment(hash)).state === 'succeeded',
    );
    const received = await getInvoice({ lnd: rawLnd(net.nodes.node), id: hash });
    assert.equal(received.received, 7000);
    assert.equal(received.payments.length, 1);
  });

  test('closing a backend with a payment still held lets its process exit', async () => {
    const { hash } = newPreimage();
    const added = value(
      await node.addHoldInvoice({ hash, amountSats: 2000, memo: 'held', expirySeconds: 600, cltvDelta: 144 }),
    );
    const fixture = fileURLToPath(new URL('./lnd-pay-and-close.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, added.request], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    // A bound so a leaked stream fails the test instead of hanging it.
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after close()');
      }, 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 'killed');
      });
    });
    assert.equal(code, 0);
    const reported = JSON.parse(out) as LnResult<{ state: string }>;
    assert.equal(value(reported).state, 'in_flight');
    // The payment lives on in LND: it is held, then refunded.
    await until(
      'the hold invoice to be accepted',
      async () => value(await node.getHoldInvoice(hash)).state === 'accepted',
    );
    value(await node.cancelHoldInvoice(hash));
    await until('the seller payment to fail', async () => value(await seller.getPayment(hash)).state === 'failed');
  });

  test('LND cancels an accepted hold invoice as its HTLC nears expiry, and the seller is refunded', async () => {
    const { hash } = newPreimage();
    const added = value(
      await node.addHoldInvoice({ hash, amountSats: 3000, memo: 'expiring', expirySeconds: 600, cltvDelta: 40 }),
    );
    const states: string[] = [];
    const unsubscribe = node.subscribeHoldInvoice(hash, (inv) => states.push(inv.state));
    const paying = seller.pay({ request: added.request, maxFeeSats: 10, timeoutSeconds: 300 });
    const accepted = await until('the hold invoice to be accepted', async () => {
      const inv = value(await node.getHoldInvoice(hash));
      return inv.state === 'accepted' && inv;
    });
    assert.ok(accepted.htlcExpiryHeight !== null);
    // Mine towards the HTLC expiry until LND gives the HTLC back (its holdexpirydelta safety margin).
    await until(
      'LND to cancel the held HTLC',
      async () => {
        if (value(await node.getHoldInvoice(hash)).state === 'canceled') return true;
        const height = value(await node.getInfo()).blockHeight;
        if (height < (accepted.htlcExpiryHeight ?? 0)) await mineBlocks(1, net);
        return false;
      },
      120_000,
    );
    const refunded = value(await paying);
    assert.equal(refunded.state, 'failed');
    await until('the subscription to see the cancel', async () => states.at(-1) === 'canceled');
    unsubscribe();
    assert.deepEqual(states, ['open', 'accepted', 'canceled']);
  });

  test('a hold invoice hash can be added once', async () => {
    const { hash } = newPreimage();
    const args = { hash, amountSats: 1000, memo: 'dup', expirySeconds: 600, cltvDelta: 100 };
    value(await node.addHoldInvoice(args));
    assert.equal(errorCode(await node.addHoldInvoice(args)), 'already_exists');
    assert.equal(errorCode(await node.addHoldInvoice({ ...args, hash: 'nothex' })), 'invalid_invoice');
    assert.equal(
      errorCode(await node.addHoldInvoice({ ...args, hash: newPreimage().hash, amountSats: 0 })),
      'invalid_invoice',
    );
    assert.equal(errorCode(await node.getHoldInvoice(newPreimage().hash)), 'not_found');
  });

  test('the node pays a buyer invoice, and paying it again does not pay twice', async () => {
    const invoice = await buyerInvoice(12_345);
    const first = value(await node.pay({ request: invoice.request, maxFeeSats: 10, timeoutSeconds: 60 }));
    assert.equal(first.state, 'succeeded');
    assert.equal(first.hash, invoice.id);
    assert.equal(first.amountSats, 12_345);
    assert.equal(bytesToHex(sha256(Buffer.from(first.preimage ?? '', 'hex'))), invoice.id);
    const second = value(await node.pay({ request: invoice.request, maxFeeSats: 10, timeoutSeconds: 60 }));
    assert.deepEqual(second, first);
    const received = await getInvoice({ lnd: buyerLnd, id: invoice.id });
    assert.equal(received.is_confirmed, true);
    assert.equal(received.received, 12_345);
    assert.deepEqual(value(await node.getPayment(invoice.id)), first);
  });

  test('concurrent payments of one invoice pay it once', async () => {
    const invoice = await buyerInvoice(777);
    const results = await Promise.all(
      [1, 2, 3].map(() => node.pay({ request: invoice.request, maxFeeSats: 10, timeoutSeconds: 60 })),
    );
    for (const r of results) assert.ok(!r.ok || r.value.state !== 'failed', JSON.stringify(r));
    await until('the payment to settle', async () => value(await node.getPayment(invoice.id)).state === 'succeeded');
    const received = await getInvoice({ lnd: buyerLnd, id: invoice.id });
    assert.equal(received.received, 777);
    assert.equal(received.payments.filter((p) => p.is_confirmed).length, 1);
  });

  test('getPayment of an unknown hash is not_found', async () => {
    assert.equal(errorCode(await node.getPayment(newPreimage().hash)), 'not_found');
    assert.equal(errorCode(await node.getPayment('not a hash')), 'not_found');
  });

  test('an amountless invoice is paid with the given amount, and only with one', async () => {
    const invoice = await buyerInvoice(0);
    const decoded = value(await node.decodeInvoice(invoice.request));
    assert.equal(decoded.amountMsat, null);
    assert.equal(
      errorCode(await node.pay({ request: invoice.request, maxFeeSats: 10, timeoutSeconds: 60 })),
      'invalid_invoice',
    );
    const paid = value(
      await node.pay({ request: invoice.request, amountSats: 4321, maxFeeSats: 10, timeoutSeconds: 60 }),
    );
    assert.equal(paid.state, 'succeeded');
    assert.equal(paid.amountSats, 4321);
    assert.equal((await getInvoice({ lnd: buyerLnd, id: invoice.id })).received, 4321);
  });

  test('an invoice with an amount is not paid with a different one', async () => {
    const invoice = await buyerInvoice(5000);
    const wrong = await node.pay({ request: invoice.request, amountSats: 5001, maxFeeSats: 10, timeoutSeconds: 60 });
    assert.equal(errorCode(wrong), 'invalid_invoice');
    assert.equal(errorCode(await node.getPayment(invoice.id)), 'not_found');
  });

  test('decodes a regtest invoice and rejects garbage', async () => {
    const invoice = (await lncli(net.nodes.buyer, ['addinvoice', '--amt', '2500', '--memo', 'decode me'], net)) as {
      r_hash: string;
      payment_request: string;
    };
    const decoded = value(await node.decodeInvoice(invoice.payment_request));
    assert.equal(decoded.network, 'regtest');
    assert.equal(decoded.hash, invoice.r_hash);
    assert.equal(decoded.amountMsat, 2_500_000n);
    assert.equal(decoded.destination, net.nodes.buyer.pubkey);
    assert.equal(decoded.description, 'decode me');
    assert.ok(decoded.expirySeconds > 0);
    assert.ok(decoded.minFinalCltvExpiry > 0);
    assert.ok(Math.abs(decoded.createdAt - Date.now() / 1000) < 600);
    assert.equal(errorCode(await node.decodeInvoice('lnbcrt1garbage')), 'invalid_invoice');
    assert.equal(errorCode(await node.decodeInvoice('')), 'invalid_invoice');
    assert.equal(errorCode(await node.decodeInvoice(invoice.payment_request.slice(0, -1))), 'invalid_invoice');
  });

  // Real, correctly signed invoices from a key no node on this network has.
  const foreignInvoice = (network: 'regtest' | 'bitcoin') =>
    encodeInvoice({
      nodeKey: randomBytes(32),
      network,
      hash: newPreimage().hash,
      amountMsat: 10_000_000n,
      description: 'elsewhere',
      createdAt: Math.floor(Date.now() / 1000),
      expirySeconds: 3600,
      cltvDelta: 40,
      paymentSecret: randomBytes(32).toString('hex'),
    });

  test('an invoice for another network is refused', async () => {
    const mainnet = foreignInvoice('bitcoin');
    const decoded = await node.decodeInvoice(mainnet);
    assert.equal(errorCode(decoded), 'invalid_invoice');
    assert.match(decoded.ok ? '' : decoded.error.message, /bitcoin/);
    assert.equal(
      errorCode(await node.pay({ request: mainnet, maxFeeSats: 10, timeoutSeconds: 30 })),
      'invalid_invoice',
    );
  });

  test('an invoice from a node the graph does not know is payee_offline', async () => {
    const request = foreignInvoice('regtest');
    assert.equal(value(await node.decodeInvoice(request)).network, 'regtest');
    assert.equal(errorCode(await node.probeRoute(request, 10_000, 100)), 'payee_offline');
    const paid = value(await node.pay({ request, maxFeeSats: 100, timeoutSeconds: 30 }));
    assert.equal(paid.state, 'failed');
    assert.equal(paid.failure, 'payee_offline');
  });

  test('probes a route without paying, and tells a fee limit from no route', async () => {
    const direct = await buyerInvoice(3000);
    assert.equal(value(await node.probeRoute(direct.request, 3000, 0)).feeSats, 0);
    assert.equal(errorCode(await node.getPayment(direct.id)), 'not_found'); // nothing paid
    // seller → node → buyer: node charges a routing fee, so a zero fee cap cannot be met.
    const twoHops = await buyerInvoice(3000);
    assert.equal(errorCode(await seller.probeRoute(twoHops.request, 3000, 0)), 'fee_too_high');
    assert.ok(value(await seller.probeRoute(twoHops.request, 3000, 50)).feeSats >= 1);
    // More than any channel can carry.
    const huge = await buyerInvoice(50_000_000);
    assert.equal(errorCode(await node.probeRoute(huge.request, 50_000_000, 1000)), 'no_route');
  });

  test('a payment over the fee cap fails with fee_too_high and can be retried', async () => {
    const invoice = await buyerInvoice(3000);
    const capped = value(await seller.pay({ request: invoice.request, maxFeeSats: 0, timeoutSeconds: 60 }));
    assert.equal(capped.state, 'failed');
    assert.equal(capped.failure, 'fee_too_high');
    assert.equal(capped.amountSats, 3000);
    // A definite failure leaves nothing in flight, so a retry with a higher cap pays it (once).
    const retried = value(await seller.pay({ request: invoice.request, maxFeeSats: 50, timeoutSeconds: 60 }));
    assert.equal(retried.state, 'succeeded');
    assert.ok(retried.feeSats >= 1);
    assert.equal((await getInvoice({ lnd: buyerLnd, id: invoice.id })).received, 3000);
  });

  test('an expired invoice is not paid', async () => {
    const expiresAt = Date.now() + 1500;
    const invoice = await buyerInvoice(1000, { expires_at: new Date(expiresAt).toISOString() });
    await until('the invoice to expire', async () => Date.now() > expiresAt + 1000, 10_000);
    assert.equal(
      errorCode(await node.pay({ request: invoice.request, maxFeeSats: 10, timeoutSeconds: 30 })),
      'expired',
    );
    assert.equal(errorCode(await node.getPayment(invoice.id)), 'not_found');
  });

  test('the node refuses to probe or pay its own invoice', async () => {
    const { hash } = newPreimage();
    const own = value(
      await node.addHoldInvoice({ hash, amountSats: 1000, memo: 'self', expirySeconds: 600, cltvDelta: 144 }),
    );
    assert.equal(errorCode(await node.probeRoute(own.request, 1000, 10)), 'invalid_invoice');
    assert.equal(
      errorCode(await node.pay({ request: own.request, maxFeeSats: 10, timeoutSeconds: 10 })),
      'invalid_invoice',
    );
    assert.equal(errorCode(await node.getPayment(hash)), 'not_found');
    assert.equal(value(await node.getHoldInvoice(hash)).state, 'open');
  });

  test('mining moves the chain the node sees', async () => {
    const before = value(await node.getInfo()).blockHeight;
    const height = await mineBlocks(2, net);
    assert.ok(height >= before + 2);
    await until('the node to see the new blocks', async () => value(await node.getInfo()).blockHeight >= height);
  });
});
