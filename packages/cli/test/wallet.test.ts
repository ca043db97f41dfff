// `mostro wallet` as a child process against a wallet API served by this test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimulatedNetwork, startWalletServer, type WalletServer } from '../../daemon/src/lightning/simulated/index.ts';

const bin = fileURLToPath(new URL('../bin/mostro.mjs', import.meta.url));
let net: SimulatedNetwork;
let server: WalletServer;

before(async () => {
  net = new SimulatedNetwork({ tickMs: 0 });
  server = await startWalletServer(net, { port: 0 });
});
after(async () => {
  await server.close();
  net.close();
});

function mostro(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, 'wallet', ...args],
      { env: { ...process.env, MOSTRO_WALLET_URL: server.url, MOSTRO_WALLET: 'alice', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('mostro wallet', () => {
  test('fund, balance, invoice, pay, payments — every output says simulated', async () => {
    const fund = await mostro(['fund', '100000']);
    assert.equal(fund.code, 0, fund.stderr);
    assert.match(fund.stdout, /100,000 sats to wallet alice/);
    assert.match(fund.stdout, /simulated/);

    const inv = await mostro(['invoice', '2500', '--memo', 'pizza', '--wallet', 'bob']);
    assert.equal(inv.code, 0, inv.stderr);
    const bolt11 = inv.stdout.split('\n')[0]!;
    assert.match(bolt11, /^lnbcrt25u1/);
    assert.match(inv.stdout, /simulated/);

    const pay = await mostro(['pay', bolt11]);
    assert.equal(pay.code, 0, pay.stderr);
    assert.match(pay.stdout, /succeeded\s+2,500 sats/);
    assert.match(pay.stdout, /simulated/);

    const bob = await mostro(['balance', '--wallet', 'bob']);
    assert.equal(bob.code, 0);
    assert.match(bob.stdout, /wallet bob: 2,500 sats/);
    assert.match(bob.stdout, /simulated/);
    const w = net.wallet('bob');
    assert.equal(w.ok && w.value.balanceMsat, 2_500_000n);

    const list = await mostro(['payments', '--wallet', 'bob']);
    assert.match(list.stdout, /invoices \(1\):\n\s+paid\s+2,500 sats \(regular\).*"pizza"/);
    assert.match(list.stdout, /simulated/);

    const json = await mostro(['balance', '--json']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.simulated, true);
    assert.equal(parsed.wallet, 'alice');
    assert.ok(parsed.balance_sats < 100_000 - 2500);
    const fromEnv = JSON.parse((await mostro(['balance'], { MOSTRO_JSON: '1' })).stdout);
    assert.equal(fromEnv.wallet, 'alice', 'MOSTRO_JSON=1 stands for --json');
    assert.equal(fromEnv.balance_sats, parsed.balance_sats);
  });

  test('amountless invoice paid with --amount', async () => {
    await mostro(['fund', '5000', '--wallet', 'carol']);
    const inv = await mostro(['invoice', '0', '--wallet', 'dave']);
    const bolt11 = inv.stdout.split('\n')[0]!;
    const noAmount = await mostro(['pay', bolt11, '--wallet', 'carol']);
    assert.equal(noAmount.code, 1);
    assert.match(noAmount.stderr, /^mostro wallet: invalid_invoice: amountless invoice/);
    const paid = await mostro(['pay', bolt11, '--amount', '777', '--wallet', 'carol']);
    assert.equal(paid.code, 0, paid.stderr);
    const d = net.wallet('dave');
    assert.equal(d.ok && d.value.balanceMsat, 777_000n);
  });

  test('paying an invoice twice says it is already paid, and nothing moves', async () => {
    await mostro(['fund', '5000', '--wallet', 'erin']);
    const inv = await mostro(['invoice', '1200', '--wallet', 'frank']);
    const bolt11 = inv.stdout.split('\n')[0]!;
    const first = await mostro(['pay', bolt11, '--wallet', 'erin']);
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stdout, /already paid/);
    const again = await mostro(['pay', bolt11, '--wallet', 'erin']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already paid/);
    const f = net.wallet('frank');
    assert.equal(f.ok && f.value.balanceMsat, 1_200_000n);
  });

  test("the default wallet URL is the local node's, read from its config and MOSTRO_WALLET_PORT", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mostro-wallet-cfg-'));
    try {
      const port = new URL(server.url).port;
      writeFileSync(join(dir, 'config.toml'), `[wallet]\nhost = "127.0.0.1"\nport = ${port}\n`);
      const fromFile = await mostro(['balance'], { MOSTRO_WALLET_URL: '', MOSTRO_DATA_DIR: dir });
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.match(fromFile.stdout, /wallet alice:/);
      // The node's own override wins over its file, as it does for the node.
      const fromEnv = await mostro(['balance'], {
        MOSTRO_WALLET_URL: '',
        MOSTRO_DATA_DIR: dir,
        MOSTRO_WALLET_PORT: '9',
      });
      assert.equal(fromEnv.code, 1);
      assert.match(fromEnv.stderr, /at http:\/\/127\.0\.0\.1:9/);
      // No local node: the embedded default port, never the old 18080.
      const none = await mostro(['balance'], { MOSTRO_WALLET_URL: '', MOSTRO_DATA_DIR: join(dir, 'missing') });
      assert.match(none.stderr, /http:\/\/127\.0\.0\.1:7001/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('clear one-line errors with a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['fund', 'lots'], /must be a whole number/],
      [['fund', '0'], /positive/],
      [['pay'], /wrong arguments/],
      [['pay', 'lnbcrt1nonsense'], /invalid_invoice/],
      [['teleport'], /unknown action/],
      [['balance', '--wallet', 'no spaces allowed'], /invalid_argument/],
      [['balance', '--frobnicate'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const r = await mostro(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    }
    const down = await mostro(['balance'], { MOSTRO_WALLET_URL: 'http://127.0.0.1:9' });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach the simulated wallet API at http:\/\/127\.0\.0\.1:9/);
  });
});
