// End to end with the real node: `mostrod` on its embedded stack (relay, simulated Lightning,
// fixed prices) as a separate process, and `mostro` processes for two users with their own home
// directories: a seller in reputation mode and a buyer in full private mode. A complete sell trade
// and a complete buy trade with chat both ways, then a restore in a fresh home that resumes an
// in-flight trade.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toNpub } from '@mostro/protocol';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type CliUser, mostro } from './helpers/cli.ts';
import { startMostrod } from './helpers/mostrod.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON output read loosely, each field asserted
const find = (list: { orderId: string }[], id: string) => list.find((t) => t.orderId === id) as Record<string, any>;

describe('trades against mostrod on the embedded stack', () => {
  const root = mkdtempSync(join(tmpdir(), 'mostro-e2e-'));
  let node: Awaited<ReturnType<typeof startMostrod>>;
  let alice: CliUser; // seller, reputation
  let bob: CliUser; // buyer, full private
  let aliceMnemonic = '';

  const wallet = async (user: CliUser, args: string[]) => {
    const r = await mostro(user, ['wallet', ...args, '--json']);
    assert.equal(r.code, 0, `wallet ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.json;
  };
  const ok = async (user: CliUser, args: string[]) => {
    const r = await mostro(user, [...args, '--json']);
    assert.equal(
      r.code,
      0,
      `mostro ${args.join(' ')}: ${r.stderr}${r.stdout}\n--- mostrod:\n${node.log().slice(-2000)}`,
    );
    return r.json;
  };
  const trade = async (user: CliUser, id: string) => find(await ok(user, ['trades', '--all']), id);

  before(async () => {
    node = await startMostrod(join(root, 'node'));
    const env = { MOSTRO_NODE: node.npub, MOSTRO_RELAYS: node.relay, MOSTRO_WALLET_URL: node.wallet };
    alice = { home: join(root, 'alice'), env: { ...env, MOSTRO_WALLET: 'alice' } };
    bob = { home: join(root, 'bob'), env: { ...env, MOSTRO_WALLET: 'bob', MOSTRO_PRIVATE: '1' } };
    aliceMnemonic = (await ok(alice, ['init'])).mnemonic;
    await ok(bob, ['init']);
    await wallet(alice, ['fund', '1000000']);
    await wallet(bob, ['fund', '1000000']);
  });
  after(async () => {
    node?.child.kill('SIGTERM');
    await new Promise((r) => node?.child.once('close', r));
    rmSync(root, { recursive: true, force: true });
  });

  it('node info', async () => {
    const info = await ok(alice, ['node']);
    assert.equal(info.transport, 'nip44');
    assert.equal(info.pow, 2);
    assert.equal(info.powFirstContact, 8);
    assert.ok(info.maxOrderSats > 0);
  });

  it('a complete sell trade, chat both ways', async () => {
    const made = await ok(alice, [
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
    ]);
    const id: string = made.orderId;
    assert.equal(made.status, 'pending');
    const book = await ok(bob, ['orders']);
    assert.ok(book.some((o: { id: string }) => o.id === id));
    const taken = await ok(bob, ['take', id]);
    assert.equal(taken.next, 'add-invoice');
    const inv = await wallet(bob, ['invoice', String(taken.amountSats)]);
    await ok(bob, ['invoice', id, inv.bolt11]);
    const pay = await ok(alice, ['pay', id]);
    await wallet(alice, ['pay', pay.invoice]);
    assert.equal((await trade(bob, id)).status, 'active');
    assert.equal((await trade(alice, id)).status, 'active');

    await ok(alice, ['chat', 'send', id, 'hello buyer']);
    assert.deepEqual(
      (await ok(bob, ['chat', 'read', id])).map((m: { text: string }) => m.text),
      ['hello buyer'],
    );
    await ok(bob, ['chat', 'send', id, 'fiat on its way']);
    assert.deepEqual((await ok(alice, ['chat', 'read', id])).map((m: { text: string }) => m.text).sort(), [
      'fiat on its way',
      'hello buyer',
    ]);

    assert.equal((await ok(bob, ['fiat-sent', id])).status, 'fiat-sent');
    await ok(alice, ['release', id]);
    // The payout is asynchronous: trades catches up on what the node sent since.
    let done = await trade(bob, id);
    for (let i = 0; i < 20 && done.status !== 'success'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      done = await trade(bob, id);
    }
    assert.equal(done.status, 'success');
    await ok(bob, ['rate', id, '5']);
    await ok(alice, ['rate', id, '4']);
  });

  it('a complete buy trade, and a restore in a fresh home resumes it mid-way', async () => {
    const made = await ok(bob, [
      'new',
      '--kind',
      'buy',
      '--fiat',
      'EUR',
      '--amount',
      '30',
      '--method',
      'Revolut',
      '--sats',
      '50000',
      '--yes',
    ]);
    const id: string = made.orderId;
    const taken = await ok(alice, ['take', id]);
    assert.equal(taken.next, 'pay-invoice');
    const pay = await ok(alice, ['pay', id]);
    await wallet(alice, ['pay', pay.invoice]);
    const b = await trade(bob, id);
    assert.equal(b.next, 'add-invoice');
    const inv = await wallet(bob, ['invoice', String(b.amountSats)]);
    await ok(bob, ['invoice', id, inv.bolt11]);
    assert.equal((await trade(alice, id)).status, 'active');

    // Alice loses her laptop: a fresh home, the mnemonic, `restore`.
    const fresh: CliUser = { home: join(root, 'alice-restored'), env: alice.env ?? {} };
    const imp = await mostro(fresh, ['import', '--json'], { input: `${aliceMnemonic}\n` });
    assert.equal(imp.code, 0, imp.stderr);
    const restored = await ok(fresh, ['restore']);
    const t = find(restored.trades, id);
    assert.ok(t, `the in-flight trade is back: ${JSON.stringify(restored)}`);
    assert.equal(t.side, 'seller');
    assert.equal(t.status, 'active');
    await ok(fresh, ['chat', 'send', id, 'restored, still here']);
    assert.ok((await ok(bob, ['chat', 'read', id])).some((m: { text: string }) => m.text === 'restored, still here'));
    await ok(bob, ['fiat-sent', id]);
    await ok(fresh, ['release', id]);
    let done = await trade(bob, id);
    for (let i = 0; i < 20 && done.status !== 'success'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      done = await trade(bob, id);
    }
    assert.equal(done.status, 'success');
    // The restored session continues the index: no key reuse.
    const next = await ok(fresh, [
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
    ]);
    assert.ok(next.tradeIndex > t.tradeIndex);
  });

  it('a dispute: the solver takes it, reads the chat a party handed over, chats with the buyer and settles', async () => {
    const made = await ok(alice, [
      'new',
      '--kind',
      'sell',
      '--fiat',
      'EUR',
      '--amount',
      '20',
      '--method',
      'SEPA',
      '--sats',
      '20000',
      '--yes',
    ]);
    const id: string = made.orderId;
    // The restored home used index 3 meanwhile: the node refused 3 from this older home, the
    // client learned the node's last index and moved past it, without reusing a key.
    assert.equal(made.tradeIndex, 4);
    const taken = await ok(bob, ['take', id]);
    await ok(bob, ['invoice', id, (await wallet(bob, ['invoice', String(taken.amountSats)])).bolt11]);
    await wallet(alice, ['pay', (await ok(alice, ['pay', id])).invoice]);
    assert.equal((await trade(bob, id)).status, 'active');
    await ok(alice, ['chat', 'send', id, 'I have not received anything']);
    await ok(bob, ['chat', 'send', id, 'I sent it yesterday']);
    const opened = await ok(bob, ['dispute', id]);
    assert.equal(opened.status, 'dispute');
    const disputeId: string = opened.dispute.id;

    // The operator (node key) adds a solver; the solver takes the dispute.
    const nodeKey = (
      readFileSync(join(root, 'node', 'config.toml'), 'utf8').match(/nsec_privkey\s*=\s*"([^"]+)"/) as RegExpMatchArray
    )[1] as string;
    const solverSk = generateSecretKey();
    const solverPub = getPublicKey(solverSk);
    const operator: CliUser = {
      home: join(root, 'operator'),
      env: { ...(alice.env ?? {}), MOSTRO_ADMIN_KEY: nodeKey },
    };
    const solver: CliUser = {
      home: join(root, 'solver'),
      env: { ...(alice.env ?? {}), MOSTRO_ADMIN_KEY: bytesToHex(solverSk) },
    };
    // Neither has a user session: the admin key is all an operator or a solver needs.
    await ok(operator, ['admin', 'add-solver', toNpub(solverPub)]);
    const list = await ok(solver, ['admin', 'disputes']);
    assert.ok(
      list.some((d: { id: string }) => d.id === disputeId),
      'the dispute is listed',
    );
    const taken2 = await ok(solver, ['admin', 'take', disputeId]);
    assert.equal(taken2.info.id, id);
    assert.equal(taken2.fiatCode, 'EUR', 'the amount comes with its currency');

    // The buyer learns the solver, hands over the chat key; the solver reads the buyer–seller chat.
    assert.equal((await trade(bob, id)).dispute.solverPubkey, solverPub);
    await ok(bob, ['chat', 'handover', id]);
    const transcript = await ok(solver, ['admin', 'transcript', disputeId]);
    assert.deepEqual(transcript.messages.map((m: { text: string }) => m.text).sort(), [
      'I have not received anything',
      'I sent it yesterday',
    ]);
    await ok(solver, ['admin', 'chat', disputeId, '--party', 'buyer', 'please send proof of payment']);
    const bobSolverChat = await ok(bob, ['chat', 'read', id, '--solver']);
    assert.ok(bobSolverChat.some((m: { text: string }) => m.text === 'please send proof of payment'));

    await ok(solver, ['admin', 'settle', id]);
    let done = await trade(bob, id);
    for (let i = 0; i < 20 && done.status !== 'success'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      done = await trade(bob, id);
    }
    assert.equal(done.status, 'success');
  });

  it('a range order: after a slice is released, the child order comes back to the maker under a fresh key', async () => {
    const made = await ok(alice, [
      'new',
      '--kind',
      'sell',
      '--fiat',
      'EUR',
      '--amount',
      '10-30',
      '--method',
      'SEPA',
      '--yes',
    ]);
    const id: string = made.orderId;
    const taken = await ok(bob, ['take', id, '--amount', '10']);
    await ok(bob, ['invoice', id, (await wallet(bob, ['invoice', String(taken.amountSats)])).bolt11]);
    await wallet(alice, ['pay', (await ok(alice, ['pay', id])).invoice]);
    await ok(bob, ['fiat-sent', id]);
    const released = await ok(alice, ['release', id]);
    assert.ok(released.nextTradeIndex > made.tradeIndex, 'release announced a fresh key for the child order');
    let child: ReturnType<typeof find> | undefined;
    for (let i = 0; i < 20 && !child; i++) {
      child = (await ok(alice, ['trades'])).find(
        (t: { tradeIndex: number }) => t.tradeIndex === released.nextTradeIndex,
      );
      if (!child) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(child, 'the child order is one of my trades');
    assert.equal(child.status, 'pending');
    assert.equal(child.role, 'maker');
    assert.equal(child.order.min_amount, 10);
    assert.equal(child.order.max_amount, 20);
    assert.notEqual(child.orderId, id);
  });
});
