// Buyer invoice validation (§5.9) and lightning addresses / LNURL-pay served on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { bech32 } from '@scure/base';
import { createHttpLnurlResolver, isLnurlTarget, lnurlEndpoint } from '../../src/escrow/lnurl.ts';
import { encodeInvoice } from '../../src/lightning/simulated/bolt11.ts';
import type { SimulatedNetwork } from '../../src/lightning/simulated/network.ts';
import { Harness, type User } from '../app/harness.ts';

/** A LNURL-pay service on 127.0.0.1 whose invoices are made by `network` for wallet `alice`. */
class LnurlServer {
  server: Server;
  network: SimulatedNetwork | null = null;
  requests: string[] = [];
  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(url.pathname + url.search);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/lnurlp/alice' || url.pathname === '/lnurl/alice') {
        return json(200, {
          tag: 'payRequest',
          callback: `${this.base}/cb/alice`,
          minSendable: 1000,
          maxSendable: 100_000_000_000,
          metadata: '[["text/plain","alice"]]',
        });
      }
      if (url.pathname === '/cb/alice') {
        const msat = Number(url.searchParams.get('amount'));
        const inv = this.network?.createInvoice('alice', { amountSats: msat / 1000, expirySeconds: 86_400 });
        if (!inv?.ok) return json(200, { status: 'ERROR', reason: 'no wallet' });
        return json(200, { pr: inv.value.request, routes: [] });
      }
      if (url.pathname === '/.well-known/lnurlp/broken') return json(200, { tag: 'withdrawRequest' });
      json(404, { status: 'ERROR', reason: 'not found' });
    });
  }
  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  start(): Promise<void> {
    return new Promise((r) => this.server.listen(0, '127.0.0.1', () => r()));
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const lnurl = new LnurlServer();
before(() => lnurl.start());
after(() => lnurl.stop());

let h: Harness;
let seller: User;
let buyer: User;
function setup(): void {
  h = new Harness({ resolver: createHttpLnurlResolver({ httpHosts: ['127.0.0.1'], timeoutMs: 2000 }) });
  lnurl.network = h.net;
  seller = h.user('seller');
  buyer = h.user('buyer');
}
afterEach(() => h?.close());

describe('buyer invoice validation (§5.9)', () => {
  it('bolt11: network, expiry window, final CLTV, exact amount or amountless, minimum payment', async () => {
    setup();
    const check = (invoice: string, expected: number | null) => h.escrow.validateBuyerInvoice(invoice, expected);
    const mk = (args: { amountSats: number | null; expirySeconds?: number; cltvDelta?: number }) => {
      const r = h.net.createInvoice('buyer', { expirySeconds: 86_400, ...args });
      assert.ok(r.ok);
      return r.value.request;
    };
    assert.equal(await check(mk({ amountSats: null }), 1000), null);
    assert.equal(await check(mk({ amountSats: 1000 }), 1000), null);
    assert.equal(await check(mk({ amountSats: 1000 }), null), null);
    assert.match((await check(mk({ amountSats: 999 }), 1000)) ?? '', /amount must be 1000/);
    assert.match((await check(mk({ amountSats: 50 }), null)) ?? '', /below the minimum/);
    assert.match((await check(mk({ amountSats: null, expirySeconds: 3599 }), 1000)) ?? '', /expires too soon/);
    assert.equal(await check(mk({ amountSats: null, expirySeconds: 3600 }), 1000), null);
    // 0.20 default: 144 blocks.
    assert.match((await check(mk({ amountSats: null, cltvDelta: 145 }), 1000)) ?? '', /CLTV/);
    assert.equal(await check(mk({ amountSats: null, cltvDelta: 144 }), 1000), null);
    const mainnet = encodeInvoice({
      nodeKey: randomBytes(32),
      network: 'bitcoin',
      hash: randomBytes(32).toString('hex'),
      amountMsat: null,
      description: '',
      createdAt: h.clock.now(),
      expirySeconds: 86_400,
      cltvDelta: 40,
      paymentSecret: randomBytes(32).toString('hex'),
    });
    assert.match((await check(mainnet, 1000)) ?? '', /for bitcoin/);
    assert.match((await check('lnbcrt1garbage', 1000)) ?? '', /cannot decode/);
    assert.match((await check('', 1000)) ?? '', /empty/);
  });

  it('lightning addresses and LNURLs are recognised and resolved', async () => {
    setup();
    assert.ok(isLnurlTarget('alice@example.com'));
    assert.ok(isLnurlTarget('lightning:alice@example.com'));
    assert.ok(!isLnurlTarget('lnbcrt1xyz'));
    const e = lnurlEndpoint('alice@example.com');
    assert.ok(e.ok);
    assert.equal(e.value.toString(), 'https://example.com/.well-known/lnurlp/alice');
    const address = `alice@127.0.0.1:${lnurl.port}`;
    assert.equal(await h.escrow.validateBuyerInvoice(address, 1000), null);
    const encoded = bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(`${lnurl.base}/lnurl/alice`)), 2000);
    assert.ok(isLnurlTarget(encoded));
    assert.equal(await h.escrow.validateBuyerInvoice(encoded.toUpperCase(), 1000), null);
    assert.match((await h.escrow.validateBuyerInvoice(`bob@127.0.0.1:${lnurl.port}`, 1000)) ?? '', /HTTP 404/);
    assert.match(
      (await h.escrow.validateBuyerInvoice(`broken@127.0.0.1:${lnurl.port}`, 1000)) ?? '',
      /not a LNURL-pay/,
    );
    assert.match((await h.escrow.validateBuyerInvoice('alice@127.0.0.1:1', 1000)) ?? '', /unreachable/);
    // The node cannot be pointed at its own network by a user-supplied address.
    const strict = createHttpLnurlResolver();
    assert.match((await strict.check(address, 1000)) ?? '', /not allowed/);
    assert.match((await strict.check('alice@localhost', 1000)) ?? '', /not allowed/);
    assert.match((await strict.check('alice@10.0.0.1', 1000)) ?? '', /not allowed/);
    assert.match((await strict.check(encoded, 1000)) ?? '', /not allowed/);
  });

  it('a trade paid out to a lightning address: the invoice is fetched at payout time for amount − fee', async () => {
    setup();
    const address = `alice@127.0.0.1:${lnurl.port}`;
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    assert.equal(
      await h.send(buyer, 'take-sell', { id, payload: { payment_request: [null, address, null] } }),
      'handled',
    );
    assert.equal(h.order(id).buyer_invoice, address);
    await h.sellerPays(seller);
    await h.send(buyer, 'fiat-sent', { id });
    lnurl.requests.length = 0;
    await h.send(seller, 'release', { id });
    assert.equal(h.order(id).status, 'success');
    assert.equal(h.balanceSats('alice'), 50_000 - 150);
    assert.ok(lnurl.requests.some((r) => r === '/cb/alice?amount=49850000'));
    await h.assertInvariant();
  });

  it('an unreachable lightning address is refused at take time', async () => {
    setup();
    const id = await h.newOrder(seller, { kind: 'sell', amount: 50_000, fiat_amount: 25 });
    const r = await h.send(buyer, 'take-sell', {
      id,
      payload: { payment_request: [null, `nobody@127.0.0.1:${lnurl.port}`, null] },
    });
    assert.equal(r, 'cant-do');
    assert.equal(h.cantDo(buyer), 'invalid_invoice');
    assert.equal(h.order(id).status, 'pending');
  });
});

describe('invoiceNetworkName', () => {
  it('maps what backends report to BOLT-11 network names', async () => {
    const { invoiceNetworkName } = await import('../../src/escrow/invoice.ts');
    assert.equal(invoiceNetworkName('mainnet'), 'bitcoin');
    assert.equal(invoiceNetworkName('bitcoin'), 'bitcoin');
    assert.equal(invoiceNetworkName('testnet4'), 'testnet');
    assert.equal(invoiceNetworkName('regtest'), 'regtest');
  });
});
