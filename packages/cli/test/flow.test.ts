// Real `mostro` processes, two users with their own home directories, a real relay on 127.0.0.1
// and a scripted node (helpers/fake-node.ts). Seller in reputation mode, buyer in full private mode.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transport } from '@mostro/protocol';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../daemon/src/relay/index.ts';
import { type CliUser, mostro, mostroBackground } from './helpers/cli.ts';
import { FakeNode } from './helpers/fake-node.ts';

const BUYER_INVOICE = 'lnbcrt997000n1pfakebuyerinvoice';

for (const transport of ['nip44', 'gift-wrap'] as Transport[]) {
  describe(`a sell trade and a buy trade over ${transport}`, () => {
    let relay: EmbeddedRelay;
    let node: FakeNode;
    const root = mkdtempSync(join(tmpdir(), 'mostro-flow-'));
    let alice: CliUser; // seller, reputation mode
    let bob: CliUser; // buyer, full private
    let aliceMnemonic = '';
    let bobWords = '';

    before(async () => {
      relay = await startEmbeddedRelay();
      node = new FakeNode({ relay: relay.url, transport });
      await node.start();
      const env = { MOSTRO_NODE: node.pubkey, MOSTRO_RELAYS: relay.url };
      alice = { home: join(root, 'alice'), env };
      bob = { home: join(root, 'bob'), env: { ...env, MOSTRO_PRIVATE: '1' } };
      const a = await mostro(alice, ['init', '--json']);
      assert.equal(a.code, 0, a.stderr);
      aliceMnemonic = a.json.mnemonic;
      assert.equal(a.json.privacy, 'reputation');
      const b = await mostro(bob, ['init', '--json']);
      assert.equal(b.code, 0, b.stderr);
      assert.equal(b.json.privacy, 'full-private');
      bobWords = b.json.mnemonic;
    });
    after(async () => {
      node.close();
      await relay.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('reads the node info and picks the transport from it', async () => {
      const r = await mostro(alice, ['node', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.transport, transport);
      assert.equal(r.json.fee, 0.006);
      assert.deepEqual(r.json.relays, [relay.url]);
    });

    it('sell: new → orders → take → invoice → pay → escrow → chat → fiat-sent → release → rate', async () => {
      const made = await mostro(alice, [
        'new',
        '--kind',
        'sell',
        '--fiat',
        'EUR',
        '--amount',
        '50',
        '--method',
        'SEPA',
        '--sats',
        '100000',
        '--yes',
        '--json',
      ]);
      assert.equal(made.code, 0, made.stderr);
      const id: string = made.json.orderId;
      assert.equal(made.json.status, 'pending');
      assert.equal(made.json.tradeIndex, 1);

      const book = await mostro(bob, ['orders', '--fiat', 'eur', '--json']);
      assert.equal(book.code, 0, book.stderr);
      assert.ok(
        book.json.some((o: { id: string }) => o.id === id),
        'the order is in the book',
      );

      const taken = await mostro(bob, ['take', id, '--json']);
      assert.equal(taken.code, 0, taken.stderr);
      assert.equal(taken.json.status, 'waiting-buyer-invoice');
      assert.equal(taken.json.next, 'add-invoice');
      assert.equal(taken.json.amountSats, 99_700);

      const inv = await mostro(bob, ['invoice', id, BUYER_INVOICE, '--json']);
      assert.equal(inv.code, 0, inv.stderr);
      assert.equal(inv.json.status, 'waiting-payment');

      const pay = await mostro(alice, ['pay', id, '--json']);
      assert.equal(pay.code, 0, pay.stderr);
      assert.match(pay.json.invoice, /^lnbcrt100300n1fakehold/);
      assert.equal(pay.json.amountSats, 100_300);
      const payText = await mostro(alice, ['pay', id]);
      assert.match(payText.stdout, /lnbcrt100300n1fakehold/);
      assert.match(payText.stdout, /▄|█/, 'a QR code is drawn');

      node.lockEscrow(id);
      const bt = await mostro(bob, ['trades', '--json']);
      assert.equal(bt.code, 0, bt.stderr);
      const bobTrade = bt.json.find((t: { orderId: string }) => t.orderId === id);
      assert.equal(bobTrade.status, 'active');
      assert.equal(bobTrade.next, 'fiat-sent');
      const at = await mostro(alice, ['trades', '--json']);
      assert.equal(at.json.find((t: { orderId: string }) => t.orderId === id).status, 'active');

      // Chat both ways.
      assert.equal((await mostro(alice, ['chat', 'send', id, 'hello', 'bob'])).code, 0);
      const bobRead = await mostro(bob, ['chat', 'read', id, '--json']);
      assert.equal(bobRead.code, 0, bobRead.stderr);
      assert.deepEqual(
        bobRead.json.map((m: { text: string }) => m.text),
        ['hello bob'],
      );
      assert.equal(bobRead.json[0].format, 'current');
      assert.equal((await mostro(bob, ['chat', 'send', id, 'hi alice, paying now'])).code, 0);
      const aliceRead = await mostro(alice, ['chat', 'read', id, '--json']);
      assert.deepEqual(aliceRead.json.map((m: { text: string }) => m.text).sort(), [
        'hello bob',
        'hi alice, paying now',
      ]);
      // chat watch: a live message shows up in a running watcher.
      const chatWatch = mostroBackground(bob, ['chat', 'watch', id, '--json']);
      try {
        await chatWatch.waitFor('hi alice, paying now');
        assert.equal((await mostro(alice, ['chat', 'send', id, 'live one'])).code, 0);
        await chatWatch.waitFor('live one');
      } finally {
        await chatWatch.stop();
      }

      const sent = await mostro(bob, ['fiat-sent', id, '--json']);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(sent.json.status, 'fiat-sent');

      const rel = await mostro(alice, ['release', id, '--json']);
      assert.equal(rel.code, 0, rel.stderr);
      assert.equal(rel.json.status, 'settled-hold-invoice');

      const done = await mostro(bob, ['trades', '--all', '--json']);
      const finished = done.json.find((t: { orderId: string }) => t.orderId === id);
      assert.equal(finished.status, 'success');
      assert.equal(finished.next, 'rate');
      const rated = await mostro(bob, ['rate', id, '5', '--json']);
      assert.equal(rated.code, 0, rated.stderr);
      assert.equal(rated.json.acknowledged, true);

      // 0.20 user-info: the identity's own reputation; a full-private user has none to ask for.
      const rep = await mostro(alice, ['reputation', '--json']);
      assert.equal(rep.code, 0, rep.stderr);
      assert.deepEqual(rep.json, { rating: 4.5, reviews: 2, operating_days: 3, since: 1_700_784_000 });
      const text = await mostro(alice, ['reputation']);
      assert.match(text.stdout, /rating 4\.50 from 2 reviews, trading since 2023-11-24/);
      const none = await mostro(bob, ['reputation']);
      assert.notEqual(none.code, 0);
      assert.match(none.stderr, /reputation mode/);

      // Privacy: the full-private buyer never proved an identity; the seller always did.
      assert.ok(node.received.length >= 6);
      for (const r of node.received) assert.equal(r.transport, transport);
      const bobKeys = new Set(node.received.filter((r) => r.action === 'take-sell').map((r) => r.sender));
      assert.equal(bobKeys.size, 1);
      for (const r of node.received.filter((x) => bobKeys.has(x.sender)))
        assert.equal(r.identity, r.sender, 'full private: identity = trade key');
      const aliceNew = node.received.find((r) => r.action === 'new-order');
      assert.ok(aliceNew && aliceNew.identity !== aliceNew.sender, 'reputation: identity proven');
    });

    it('orders --watch shows a new order as it is published', async () => {
      const w = mostroBackground(bob, ['orders', '--watch', '--json']);
      try {
        await w.waitFor('"loaded"');
        const made = await mostro(alice, [
          'new',
          '--kind',
          'sell',
          '--fiat',
          'ARS',
          '--amount',
          '1000',
          '--method',
          'MercadoPago',
          '--yes',
          '--json',
        ]);
        assert.equal(made.code, 0, made.stderr);
        await w.waitFor(made.json.orderId);
        assert.equal((await mostro(alice, ['cancel', made.json.orderId, '--json'])).json.status, 'canceled');
        await w.waitFor('"canceled"');
      } finally {
        await w.stop();
      }
    });

    it('buy: the seller takes, pays, the buyer adds an invoice after the escrow locks; watch prints each step', async () => {
      const made = await mostro(bob, [
        'new',
        '--kind',
        'buy',
        '--fiat',
        'EUR',
        '--amount',
        '20-80',
        '--method',
        'Revolut',
        '--yes',
        '--json',
      ]);
      assert.equal(made.code, 0, made.stderr);
      const id: string = made.json.orderId;
      const watch = mostroBackground(bob, ['watch', '--json']);
      try {
        await watch.waitFor('"watching"');

        const taken = await mostro(alice, ['take', id, '--amount', '40', '--json']);
        assert.equal(taken.code, 0, taken.stderr);
        assert.equal(taken.json.status, 'waiting-payment');
        assert.equal(taken.json.next, 'pay-invoice');
        assert.equal(taken.json.tradeIndex, 3, "alice's third key: never reused");

        node.lockEscrow(id);
        await watch.waitFor('"add-invoice"');
        const inv = await mostro(bob, ['invoice', id, BUYER_INVOICE, '--json']);
        assert.equal(inv.code, 0, inv.stderr);
        assert.equal(inv.json.status, 'active');
        await watch.waitFor('"active"');
      } finally {
        await watch.stop();
      }
      const out = { stdout: watch.output() };
      const steps = out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.event === 'step' && e.orderId === id)
        .map((e) => e.status);
      assert.ok(steps.includes('waiting-payment'), `watch saw waiting-payment: ${steps}`);
      assert.ok(steps.includes('waiting-buyer-invoice'));
      assert.ok(steps.includes('active'));
    });

    it('restore in a fresh home, from the mnemonic alone, resumes the in-flight trade', async () => {
      const fresh: CliUser = { home: join(root, 'alice-restored'), env: alice.env ?? {} };
      const imp = await mostro(fresh, ['import', '--json'], { input: `${aliceMnemonic}\n` });
      assert.equal(imp.code, 0, imp.stderr);
      const r = await mostro(fresh, ['restore', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.lastTradeIndex, 3);
      const inFlight = r.json.trades.find((t: { status: string }) => t.status === 'active');
      assert.ok(inFlight, `the active buy trade is back: ${JSON.stringify(r.json.trades)}`);
      assert.equal(inFlight.side, 'seller');
      assert.equal(inFlight.role, 'taker');
      assert.equal(inFlight.tradeIndex, 3);
      // Resumed: the next trade key is a fresh one, and chat works from the restored home.
      const chat = await mostro(fresh, ['chat', 'send', inFlight.orderId, 'back from a restore']);
      assert.equal(chat.code, 0, chat.stderr);
      const bobRead = await mostro(bob, ['chat', 'read', inFlight.orderId, '--json']);
      assert.ok(bobRead.json.some((m: { text: string }) => m.text === 'back from a restore'));
      const next = await mostro(fresh, [
        'new',
        '--kind',
        'sell',
        '--fiat',
        'EUR',
        '--amount',
        '10',
        '--method',
        'SEPA',
        '--yes',
        '--json',
      ]);
      assert.equal(next.code, 0, next.stderr);
      assert.equal(next.json.tradeIndex, 4);
    });

    it('an expired order is reported, and --renew publishes it again with the same terms', async () => {
      const made = await mostro(alice, [
        'new',
        '--kind',
        'buy',
        '--fiat',
        'USD',
        '--amount',
        '15',
        '--method',
        'Zelle',
        '--premium',
        '3',
        '--yes',
        '--json',
      ]);
      assert.equal(made.code, 0, made.stderr);
      node.expire(made.json.orderId);
      const all = await mostro(alice, ['trades', '--all', '--json']);
      const old = all.json.find((t: { orderId: string }) => t.orderId === made.json.orderId);
      assert.equal(old.status, 'expired');
      const renewed = await mostro(alice, ['new', '--renew', made.json.orderId, '--yes', '--json']);
      assert.equal(renewed.code, 0, renewed.stderr);
      assert.notEqual(renewed.json.orderId, made.json.orderId);
      assert.equal(renewed.json.kind, 'buy');
      assert.equal(renewed.json.order.fiat_code, 'USD');
      assert.equal(renewed.json.order.fiat_amount, 15);
      assert.equal(renewed.json.order.premium, 3);
      assert.equal(renewed.json.order.payment_method, 'Zelle');
      assert.ok(renewed.json.tradeIndex > made.json.tradeIndex, 'a fresh key');
    });

    it("full private restore: a fresh home finds the buyer's open trade by scanning its trade keys", async () => {
      const bobMnemonic = bobWords;
      const fresh: CliUser = { home: join(root, 'bob-restored'), env: bob.env ?? {} };
      const imp = await mostro(fresh, ['import', '--json'], { input: `${bobMnemonic}\n` });
      assert.equal(imp.code, 0, imp.stderr);
      assert.equal(imp.json.privacy, 'full-private');
      const r = await mostro(fresh, ['restore', '--scan', '3', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const open = r.json.trades.find((t: { status: string }) => t.status === 'active');
      assert.ok(open, `the active buy trade is back: ${JSON.stringify(r.json)}`);
      assert.equal(open.side, 'buyer');
      assert.equal(open.fullPrivate, true);
      assert.equal(open.tradeIndex, 2);
      assert.equal(r.json.lastTradeIndex, 2);
    });
  });
}
