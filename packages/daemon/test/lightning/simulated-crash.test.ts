// SIGKILL a process that holds a simulated payment: the reopened file has the same hold invoice,
// still accepted, and settling it completes the payment with money conserved.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimulatedNetwork } from '../../src/lightning/simulated/index.ts';
import { assertConserved, balance, preimagePair } from './simulated-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'simnet-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a SIGKILLed simulator keeps its accepted hold invoice', async () => {
  const path = join(dir, 'lightning.sqlite');
  const { preimage, hash } = preimagePair();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./simulated-crash-child.ts', import.meta.url)), path, hash],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => reject(new Error('child exited before reporting')));
  });
  const reported = JSON.parse(line) as { state: string; request: string };
  assert.equal(reported.state, 'in_flight');
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  const net = new SimulatedNetwork({ path, tickMs: 0 });
  try {
    const inv = net.getInvoice(hash, 'node');
    assert.ok(inv.ok);
    assert.equal(inv.value.state, 'accepted');
    assert.equal(inv.value.request, reported.request);
    const p = net.getPayment('seller', hash);
    assert.equal(p.ok && p.value.state, 'in_flight');
    assertConserved(net);
    assert.ok(net.settleHoldInvoice('node', preimage).ok);
    assert.equal(balance(net, 'node'), 25_000_000n);
    const done = net.getPayment('seller', hash);
    assert.equal(done.ok && done.value.state, 'succeeded');
    assertConserved(net);
  } finally {
    net.close();
  }
});
