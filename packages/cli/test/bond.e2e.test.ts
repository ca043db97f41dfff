// Anti-abuse bonds end to end, as a user meets them: `mostrod` on its embedded stack with
// `[anti_abuse_bond]` on, two `mostro` users. The taker's `trades` and `bond show` show the bond to
// pay with its invoice, `pay --bond` pays it from the simulated wallet, the trade goes on, and once
// it completes the bond comes back to the taker's wallet.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliUser, mostro } from './helpers/cli.ts';
import { startMostrod } from './helpers/mostrod.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON output read loosely, each field asserted
type Json = Record<string, any>;

describe('anti-abuse bonds through the CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'mostro-bond-e2e-'));
  let node: Awaited<ReturnType<typeof startMostrod>>;
  let alice: CliUser; // seller, maker
  let bob: CliUser; // buyer, taker

  const ok = async (user: CliUser, args: string[]): Promise<Json> => {
    const r = await mostro(user, [...args, '--json']);
    assert.equal(
      r.code,
      0,
      `mostro ${args.join(' ')}: ${r.stderr}${r.stdout}\n--- mostrod:\n${node.log().slice(-2000)}`,
    );
    return r.json;
  };
  const trade = async (user: CliUser, id: string): Promise<Json> =>
    (await ok(user, ['trades', '--all'])).find((t: Json) => t.orderId === id);
  /** Polls until `check` holds (the node acts on payments in the background). */
  const until = async <T>(what: string, read: () => Promise<T>, check: (v: T) => boolean): Promise<T> => {
    const start = Date.now();
    for (;;) {
      const v = await read();
      if (check(v)) return v;
      if (Date.now() - start > 90_000) assert.fail(`${what}: still ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  before(async () => {
    node = await startMostrod(join(root, 'node'), {
      MOSTRO_ANTI_ABUSE_BOND_ENABLED: 'true',
      MOSTRO_ANTI_ABUSE_BOND_BASE_AMOUNT_SATS: '1500',
    });
    const env = { MOSTRO_NODE: node.npub, MOSTRO_RELAYS: node.relay, MOSTRO_WALLET_URL: node.wallet };
    alice = { home: join(root, 'alice'), env: { ...env, MOSTRO_WALLET: 'alice' } };
    bob = { home: join(root, 'bob'), env: { ...env, MOSTRO_WALLET: 'bob' } };
    await ok(alice, ['init']);
    await ok(bob, ['init']);
    await ok(alice, ['wallet', 'fund', '1000000']);
    await ok(bob, ['wallet', 'fund', '1000000']);
  });
  after(async () => {
    node?.child.kill('SIGTERM');
    await new Promise((r) => node?.child.once('close', r));
    rmSync(root, { recursive: true, force: true });
  });

  it('the node says bonds are on; a taker pays the bond, trades, and gets the bond back', async () => {
    const info = await ok(alice, ['node']);
    assert.equal(info.bondEnabled, true);
    const made = await ok(alice, [
      'new',
      ...['--kind', 'sell', '--fiat', 'EUR', '--amount', '50', '--method', 'SEPA', '--sats', '100000', '--yes'],
    ]);
    const id: string = made.orderId;
    const taken = await ok(bob, ['take', id]);
    assert.equal(taken.next, 'pay-bond-invoice');

    const listed = await trade(bob, id);
    assert.equal(listed.status, 'waiting-taker-bond');
    assert.equal(listed.bond.state, 'to-pay');
    assert.equal(listed.bond.amountSats, 1500, 'max(round(100 000 × 0.01), 1500)');
    assert.match(listed.bond.invoice, /^lnbcrt/);
    assert.equal(listed.nextCommand, `mostro pay ${id} --bond`);
    const shown = await mostro(bob, ['bond', 'show', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /bond to pay: 1500 sats/);
    assert.ok(shown.stdout.includes(listed.bond.invoice), 'the text view prints the invoice');

    const before = (await ok(bob, ['wallet', 'balance'])).balance_sats;
    const pay = await ok(bob, ['pay', id, '--bond']);
    assert.equal(pay.invoice, listed.bond.invoice);
    assert.equal(pay.amountSats, 1500);
    await ok(bob, ['wallet', 'pay', pay.invoice]);
    const going = await until(
      'the take goes on',
      () => trade(bob, id),
      (t) => t.next === 'add-invoice',
    );
    assert.equal(going.bond.state, 'locked');

    const inv = await ok(bob, ['wallet', 'invoice', String(going.amountSats)]);
    await ok(bob, ['invoice', id, inv.bolt11]);
    const hold = await until(
      'the hold invoice',
      () => ok(alice, ['pay', id]).catch(() => null),
      (p) => p !== null,
    );
    await ok(alice, ['wallet', 'pay', (hold as Json).invoice]);
    await until(
      'active',
      () => trade(bob, id),
      (t) => t.status === 'active',
    );
    await ok(bob, ['fiat-sent', id]);
    await ok(alice, ['release', id]);
    await until(
      'success',
      () => trade(bob, id),
      (t) => t.status === 'success',
    );
    // The bond job (every 10 s) gives the bond back once the trade ended.
    const payout = going.amountSats as number;
    await until(
      'the bond back in the wallet',
      async () => (await ok(bob, ['wallet', 'balance'])).balance_sats,
      (b) => b === before + payout,
    );
  });
});
