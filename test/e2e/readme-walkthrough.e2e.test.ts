// The README's walkthrough, played literally: the command lines of the fenced block marked
// `<!-- walkthrough -->` in README.md, each run by a shell in the repository, in order, against a
// real mostrod on its embedded defaults (its default data dir ~/.mostrod under a temporary HOME,
// on free ports chosen with the MOSTRO_RELAY_PORT / MOSTRO_WALLET_PORT variables the README
// documents). Only the `<…>` placeholders a person fills in are replaced, by what that person
// copies from the output of the commands before: the order id, an invoice. Every line must exit 0,
// and the rating at the end must be recorded by the node. If the README drifts, this fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePublicKey } from '@mostro/protocol';
import { type Mostrod, startMostrod } from './support/mostrod.ts';
import { cleanup, freePort, tempDir } from './support/processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The command lines of the marked block, as written (comments and blank lines dropped). */
export function walkthroughLines(readme: string): string[] {
  const m = readme.match(/<!-- walkthrough -->\s*\n```(?:sh|bash)?\n([\s\S]*?)\n```/);
  if (!m) throw new Error('README.md has no ```sh block after <!-- walkthrough -->');
  return (m[1] as string)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;
const BOLT11 = /\bln(?:bcrt|tb|bc)[0-9a-z]{50,}\b/g;

/** What a person copies into a placeholder, from the output seen so far. */
class Clipboard {
  orderId: string | null = null;
  lastInvoice: string | null = null;

  read(output: string): void {
    this.orderId ??= output.match(UUID)?.[0] ?? null;
    const invoices = output.match(BOLT11);
    if (invoices) this.lastInvoice = invoices[invoices.length - 1] as string;
  }

  fill(line: string): string {
    return line.replace(/<([^<>]+)>/g, (whole, name: string) => {
      const value = /order/.test(name) ? this.orderId : /invoice/.test(name) ? this.lastInvoice : null;
      if (!value) throw new Error(`nothing in the output so far to fill ${whole} in: ${line}`);
      return value;
    });
  }
}

function sh(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

describe('the README walkthrough, as written', () => {
  const lines = walkthroughLines(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const home = tempDir('mostro-readme');
  let node: Mostrod;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const ports = { MOSTRO_RELAY_PORT: String(await freePort()), MOSTRO_WALLET_PORT: String(await freePort()) };
    env = { ...process.env, HOME: home, ...ports };
    for (const k of Object.keys(env)) if (k.startsWith('MOSTRO_') && !(k in ports)) delete env[k];
    node = await startMostrod(join(home, '.mostrod'), { HOME: home, ...ports });
  });
  after(async () => {
    await node?.stop();
    await cleanup();
  });

  it('every line succeeds and the node records the final rating', async () => {
    assert.ok(lines.length >= 10, `a whole trade, got ${lines.length} lines`);
    assert.match(lines.at(-1) as string, /\brate\b/);
    const clip = new Clipboard();
    const exports: string[] = [];
    let aliceIdentity: string | null = null;
    for (const line of lines) {
      const filled = clip.fill(line);
      const r = await sh([...exports, filled].join('\n'), env);
      assert.equal(
        r.code,
        0,
        `\`${filled}\` exited ${r.code}:\n${r.out}\n--- mostrod:\n${node.proc.output().slice(-3000)}`,
      );
      if (/^export\s/.test(line)) exports.push(line);
      if (/--home \S*alice init\b/.test(line)) aliceIdentity = r.out.match(/identity\s+(npub1\w+)/)?.[1] ?? null;
      clip.read(r.out);
    }
    assert.ok(aliceIdentity, "alice's init prints her identity npub");
    const db = node.openDb();
    try {
      const row = db
        .prepare('SELECT total_reviews, last_rating FROM users WHERE pubkey = ?')
        .get(parsePublicKey(aliceIdentity) as string) as { total_reviews: number; last_rating: number } | undefined;
      const rating = Number((lines.at(-1) as string).match(/\brate\s+\S+\s+([1-5])\b/)?.[1]);
      assert.deepEqual(row, { total_reviews: 1, last_rating: rating }, 'the node recorded the rating');
    } finally {
      db.close();
    }
  });
});
