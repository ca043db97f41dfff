// Taking an order, as its user waits for it: the time from "Take the order" to the hold invoice on
// screen in Chromium (the web client), against `mostro take <id> --json` run as a process doing
// the same take on the same node (the CLI user's wait: process start, session unlock, relay
// connect, the take). Buy orders made by an SDK maker; the median of a few takes each.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createIdentity,
  nodeSdkClient,
  type Person,
  person,
  type Stack,
  startStack,
} from '../packages/web/test/support.ts';
import { tempDir } from '../test/e2e/support/processes.ts';
import type { BenchResult } from './result.ts';

const ROUNDS = 3;
const SATS = 10_000;
const CLI = fileURLToPath(new URL('../packages/cli/bin/mostro.mjs', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs the CLI to the end; resolves with its stdout and the wall time, rejects on failure. */
function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<{ stdout: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code === 0) resolve({ stdout, ms });
      else reject(new Error(`mostro ${args.join(' ')} exited ${code}: ${stderr}${stdout}`));
    });
  });
}

/** One take in the browser: from the click on "Take the order" to the hold invoice rendered, timed in the page. */
async function webTake(p: Person, orderId: string): Promise<number> {
  const { page } = p;
  await page.getByRole('link', { name: 'Order book' }).click();
  await page
    .locator(`[data-order="${orderId}"]`)
    .getByRole('button', { name: 'Sell', exact: true })
    .click({ timeout: 60_000 });
  const take = page.getByRole('dialog').getByRole('button', { name: 'Take the order', exact: true });
  await take.waitFor();
  // A string, not a function: tsx would wrap named helpers in a `__name` the page does not have.
  const timing = page.evaluate(`new Promise((resolve) => {
    let clicked = 0;
    document.addEventListener('click', () => { clicked = clicked || performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!clicked || !document.querySelector('[data-testid="hold-invoice"]')) return;
      observer.disconnect();
      resolve(performance.now() - clicked);
    });
    observer.observe(document.body, { childList: true, subtree: true });
  })`) as Promise<number>;
  await take.click();
  return Promise.race([
    timing,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no hold invoice within 60 s')), 60_000)),
  ]);
}

async function makeBuyOrders(stack: Stack, n: number): Promise<string[]> {
  const maker = await nodeSdkClient(stack, 'full-private');
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = await maker.client.newOrder({
        kind: 'buy',
        fiatCode: 'USD',
        fiatAmount: 20 + i,
        paymentMethod: 'cash',
        amount: SATS,
      });
      ids.push(t.orderId);
    }
    return ids;
  } finally {
    maker.pool.close();
  }
}

export async function benchWebTake(): Promise<BenchResult[]> {
  const stack = await startStack();
  try {
    const orders = await makeBuyOrders(stack, 2 * ROUNDS);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MOSTRO_HOME: join(tempDir('mostro-bench-cli-'), 'home'),
      MOSTRO_PASSPHRASE: 'bench passphrase',
      MOSTRO_NODE: stack.node.npub,
      MOSTRO_RELAYS: stack.node.relay,
      // Full privacy on both sides: in reputation mode the node refuses a second take while the
      // first still waits for its hold invoice (pending_order_exists).
      MOSTRO_PRIVATE: '1',
    };
    await cli(env, ['init', '--json']);
    // What every CLI command pays before it does anything: process start and the session unlock.
    const overhead = (await cli(env, ['trades', '--json'])).ms;
    const cliMs: number[] = [];
    for (const id of orders.slice(0, ROUNDS)) {
      const r = await cli(env, ['take', id, '--json']);
      if (!(JSON.parse(r.stdout) as { holdInvoice?: string }).holdInvoice)
        throw new Error(`no hold invoice: ${r.stdout}`);
      cliMs.push(r.ms);
    }

    const p = await person(stack, 'bench-take');
    await createIdentity(p, 'bench passphrase', true);
    const webMs: number[] = [];
    for (const id of orders.slice(ROUNDS)) webMs.push(await webTake(p, id));

    const base = '`mostro take` as a process (CLI)';
    const [cliMedian, webMedian] = [median(cliMs), median(webMs)];
    return [
      {
        name: base,
        opsPerSec: 1000 / cliMedian,
        note: `median ${cliMedian.toFixed(0)} ms of ${ROUNDS}; of it ~${overhead.toFixed(0)} ms process start + session unlock`,
      },
      {
        name: 'web: click "Take the order" → hold invoice on screen',
        opsPerSec: 1000 / webMedian,
        baseline: base,
        ratio: cliMedian / webMedian,
        note: `median ${webMedian.toFixed(0)} ms of ${ROUNDS} (${webMs.map((m) => m.toFixed(0)).join(', ')} ms)`,
      },
    ];
  } finally {
    await stack.stop();
  }
}
