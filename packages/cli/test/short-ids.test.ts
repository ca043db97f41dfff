// Order ids as a person types them: any unique prefix (the 8 characters `watch` prints), a clear
// error for an ambiguous one, and "next" hints that carry the real id to paste.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../daemon/src/relay/index.ts';
import { resolveId } from '../src/lib/args.ts';
import { UsageError } from '../src/lib/globals.ts';
import { type CliUser, mostro, mostroBackground } from './helpers/cli.ts';
import { FakeNode } from './helpers/fake-node.ts';

const A = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const B = '308e9999-0000-47e6-bd97-3504baea9c23';

test('resolveId: whole id, unique prefix, ambiguous prefix, unknown prefix', () => {
  assert.equal(resolveId(A, [A, B]), A);
  assert.equal(resolveId('308e1272', [A, B]), A);
  assert.equal(resolveId('308E99', [A, B]), B);
  assert.throws(
    () => resolveId('308e', [A, B]),
    (e) => e instanceof UsageError && e.message.includes('ambiguous') && e.message.includes(A) && e.message.includes(B),
  );
  assert.throws(
    () => resolveId('abcd', [A, B]),
    (e) => e instanceof UsageError && /no order id starts with 'abcd'/.test(e.message),
  );
  assert.throws(
    () => resolveId('30', [A]),
    (e) => e instanceof UsageError && /not a valid order id/.test(e.message),
  );
  // A whole id nobody knows yet is passed on as it is: the lookup behind it says what is wrong.
  const other = 'aaaaaaaa-0000-47e6-bd97-3504baea9c23';
  assert.equal(resolveId(other, [A]), other);
});

describe('short ids on the command line', () => {
  let relay: EmbeddedRelay;
  let node: FakeNode;
  const root = mkdtempSync(join(tmpdir(), 'mostro-short-'));
  let alice: CliUser;
  let bob: CliUser;
  let id = '';

  before(async () => {
    relay = await startEmbeddedRelay();
    node = new FakeNode({ relay: relay.url, transport: 'nip44' });
    await node.start();
    const env = { MOSTRO_NODE: node.pubkey, MOSTRO_RELAYS: relay.url };
    alice = { home: join(root, 'alice'), env };
    bob = { home: join(root, 'bob'), env };
    for (const u of [alice, bob]) assert.equal((await mostro(u, ['init', '--json'])).code, 0);
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
    id = made.json.orderId;
  });
  after(async () => {
    node.close();
    await relay.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('take and invoice accept the first 8 characters; the next-step hint has the real id', async () => {
    const taken = await mostro(bob, ['take', id.slice(0, 8)]);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout, new RegExp(`order ${id}`));
    assert.match(taken.stdout, new RegExp(`next: mostro invoice ${id} <bolt11\\|ln-address>`));
    assert.doesNotMatch(taken.stdout, /<order-id>/);
    const inv = await mostro(bob, ['invoice', id.slice(0, 8), 'lnbcrt997000n1pfakebuyerinvoice', '--json']);
    assert.equal(inv.code, 0, inv.stderr);
    assert.equal(inv.json.orderId, id);
    const trades = await mostro(alice, ['trades']);
    assert.doesNotMatch(trades.stdout, /<order-id>/);
    assert.match(trades.stdout, new RegExp(`mostro pay ${id}`));
  });

  it('pay --wait shows what happens from now on: no "taker left", no stale reputation', async () => {
    const w = mostroBackground(alice, ['pay', id.slice(0, 8), '--wait', '--no-qr']);
    await w.waitFor('pay before');
    await new Promise((r) => setTimeout(r, 1500));
    node.lockEscrow(id);
    await w.waitFor(/escrow locked/);
    const { stdout } = await w.stop();
    assert.doesNotMatch(stdout, /taker left|published again/);
    assert.doesNotMatch(stdout, /reputation/);
  });

  it("a buyer who takes with an invoice sees the order's fiat amount, not '?'", async () => {
    const made = await mostro(alice, [
      'new',
      '--kind',
      'sell',
      '--fiat',
      'EUR',
      '--amount',
      '30',
      '--method',
      'SEPA',
      '--sats',
      '60000',
      '--yes',
      '--json',
    ]);
    assert.equal(made.code, 0, made.stderr);
    const other: string = made.json.orderId;
    const taken = await mostro(bob, ['take', other, '--invoice', 'lnbcrt600000n1pfakebuyerinvoice']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout, /30 EUR, 60000 sats/);
    const trades = await mostro(bob, ['trades']);
    const row = trades.stdout.split('\n').find((l) => l.startsWith(other)) ?? '';
    assert.match(row, /30 EUR/);
    assert.doesNotMatch(row, /\?, market price/);
  });

  it('a restore that finds nothing says the other privacy mode can be tried', async () => {
    const carol: CliUser = { home: join(root, 'carol'), env: alice.env ?? {} };
    assert.equal((await mostro(carol, ['init', '--json'])).code, 0);
    const r = await mostro(carol, ['restore']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to restore/);
    assert.match(r.stdout, /--private/);
  });

  it('a prefix that names none of my trades is refused with the prefix in the error', async () => {
    const r = await mostro(alice, ['release', 'ffff0000']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no order id starts with 'ffff0000'/);
  });
});
