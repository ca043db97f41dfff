// `npm run bench`: runs every registered bench module and prints one table per module.
// To add one: write bench/<name>.ts exporting `async function <fn>(): Promise<BenchResult[]>` and
// append { path, fn, title } to MODULES. Missing files are skipped, so modules can land in any order.
// `npm run bench -- transport` runs only the modules whose path or title contains "transport".
import type { BenchResult } from './result.ts';

export interface BenchModule {
  /** Relative to this file. */
  path: string;
  /** Exported function returning the results. */
  fn: string;
  title: string;
}

export const MODULES: BenchModule[] = [
  { path: './protocol-message.ts', fn: 'benchMessages', title: 'protocol: messages' },
  { path: './protocol-transport.ts', fn: 'benchTransport', title: 'protocol: transports and chat' },
  { path: './node.ts', fn: 'benchNode', title: 'node: new-order through the real local relay' },
  { path: './flood.ts', fn: 'benchFlood', title: 'node: honest latency under a junk flood' },
  { path: './web.ts', fn: 'benchWeb', title: 'web: first load and a 1,000-order book in Chromium' },
  { path: './web-take.ts', fn: 'benchWebTake', title: 'web: take → hold invoice on screen, Chromium vs the CLI' },
];

// Slow operations (a take, a page load) are below 10 per second: whole numbers would print 0.
const fmt = (n: number) => (n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US'));

export function printTable(title: string, results: BenchResult[]): void {
  const nameWidth = Math.max(10, ...results.map((r) => r.name.length));
  console.log(`\n${title}`);
  console.log(`${'benchmark'.padEnd(nameWidth)}  ${'ops/s'.padStart(10)}  ratio`);
  console.log(`${'-'.repeat(nameWidth)}  ${'-'.repeat(10)}  ${'-'.repeat(40)}`);
  for (const r of results) {
    const ratio = r.ratio === undefined ? '(baseline)' : `×${r.ratio.toFixed(2)} of ${r.baseline}`;
    const note = r.note ? `  ${r.note}` : '';
    console.log(`${r.name.padEnd(nameWidth)}  ${fmt(r.opsPerSec).padStart(10)}  ${ratio}${note}`);
  }
}

async function main(filters: string[]): Promise<number> {
  const chosen = MODULES.filter(
    (m) => filters.length === 0 || filters.some((f) => m.path.includes(f) || m.title.includes(f)),
  );
  let failed = 0;
  const started = performance.now();
  for (const m of chosen) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(new URL(m.path, import.meta.url).href);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(m.path.slice(2))) {
        console.log(`\n${m.title}: skipped (${m.path} not present)`);
        continue;
      }
      throw e;
    }
    const fn = mod[m.fn];
    if (typeof fn !== 'function') {
      console.error(`\n${m.title}: ${m.path} does not export ${m.fn}()`);
      failed++;
      continue;
    }
    printTable(m.title, (await fn()) as BenchResult[]);
  }
  console.log(
    `\n${chosen.length} module(s) in ${((performance.now() - started) / 1000).toFixed(1)} s (node ${process.version}, ${process.arch})`,
  );
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
