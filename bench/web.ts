// The browser client: gzipped JavaScript of the first load (goal < 250 KB), and the time from
// opening the app to a rendered order book of 1,000 orders (real mostrod, its embedded relay,
// Debian's Chromium), in orders per second, with the SDK's relay fetch of the same 1,000 events as the baseline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeRelayPool } from '@mostro/nostr/node';
import { finalizeEvent } from 'nostr-tools/pure';
import { person, startStack } from '../packages/web/test/support.ts';
import type { BenchResult } from './result.ts';

const ORDERS = 1000;
const dist = fileURLToPath(new URL('../packages/web/dist/', import.meta.url));

function firstLoadGzipBytes(): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+)"/g)].map((m) => m[1] as string);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1] as string);
  return [...scripts, ...preloads].reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0);
}

export async function benchWeb(): Promise<BenchResult[]> {
  const gz = firstLoadGzipBytes();
  const stack = await startStack();
  try {
    const sk = stack.node.secretKey();
    const pool = nodeRelayPool({ relays: [stack.node.relay] });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < ORDERS; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const range = i % 5 === 0;
      const ev = finalizeEvent(
        {
          kind: 38383,
          created_at: now - i,
          content: '',
          tags: [
            ['d', id],
            ['k', i % 2 ? 'buy' : 'sell'],
            ['f', ['USD', 'EUR', 'ARS'][i % 3] as string],
            ['s', 'pending'],
            ['amt', range ? '0' : String(10_000 + i)],
            ['fa', ...(range ? ['10', '500'] : [String(20 + (i % 400))])],
            ['pm', i % 2 ? 'bank transfer' : 'cash'],
            ['premium', String((i % 7) - 3)],
            ['network', 'regtest'],
            ['layer', 'lightning'],
            ['expiration', String(now + 86_400)],
            ['y', 'mostro'],
            ['z', 'order'],
          ],
        },
        sk,
      );
      await pool.publish(ev as never);
    }
    const fetchStart = performance.now();
    await new Promise<void>((done) => {
      const sub = pool.subscribe([{ kinds: [38383], authors: [stack.node.pubkey] }], {
        onevent: () => {},
        oneose: () => {
          sub.close();
          done();
        },
      });
    });
    const fetchMs = performance.now() - fetchStart;
    pool.close();
    const started = performance.now();
    const p = await person(stack, 'bench');
    await p.page.getByText(`of ${ORDERS} orders`).waitFor({ timeout: 120_000 });
    await p.page.locator('[data-order]').first().waitFor();
    const renderMs = performance.now() - started;
    // Scrolling through pages: the list holds 25 rows at a time, so a page flip is one small render.
    const flipStart = performance.now();
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByText(`Page 2 of ${Math.ceil(ORDERS / 25)}`).waitFor();
    const flipMs = performance.now() - flipStart;
    const base = 'SDK relay fetch of the 1,000 events (Node)';
    return [
      { name: base, opsPerSec: (ORDERS * 1000) / fetchMs, note: `${fetchMs.toFixed(0)} ms` },
      {
        name: 'open app → 1,000 orders rendered',
        opsPerSec: (ORDERS * 1000) / renderMs,
        baseline: base,
        ratio: fetchMs / renderMs,
        note: `${renderMs.toFixed(0)} ms; next page ${flipMs.toFixed(0)} ms; first-load JS ${(gz / 1024).toFixed(1)} KB gzipped (goal < 250 KB)`,
      },
    ];
  } finally {
    await stack.stop();
  }
}
