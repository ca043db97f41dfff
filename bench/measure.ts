// Shared timing helper for bench modules: time-boxed, so slow operations cost no more wall time.
import type { BenchResult } from './result.ts';

/** Runs `fn` for about `ms` milliseconds after a short warm-up; returns operations per second. */
export function opsPerSec(fn: () => unknown, ms = 300): number {
  const warmEnd = performance.now() + Math.min(50, ms / 4);
  while (performance.now() < warmEnd) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

/** Measure a baseline and ours in the same run; push both, ours with the ratio ours/baseline. */
export function pair(
  out: BenchResult[],
  name: string,
  fn: () => unknown,
  baseline: string,
  baseFn: () => unknown,
): void {
  const base = opsPerSec(baseFn);
  const ours = opsPerSec(fn);
  if (!out.some((r) => r.name === baseline)) out.push({ name: baseline, opsPerSec: base });
  out.push({ name, opsPerSec: ours, baseline, ratio: ours / base });
}
