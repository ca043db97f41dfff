// Shared timing helpers for bench modules. Time-boxed, so slow operations cost no more wall time,
// and paired measurements alternate short rounds of baseline and ours so that a busy machine
// (load from other processes) slows both sides alike; the figures are medians over the rounds.
import type { BenchResult } from './result.ts';

/** Runs `fn` for about `ms` milliseconds after a short warm-up; returns operations per second. */
export function opsPerSec(fn: () => unknown, ms = 300): number {
  const warmEnd = performance.now() + Math.min(50, ms / 4);
  while (performance.now() < warmEnd) fn();
  return timed(fn, ms);
}

function timed(fn: () => unknown, ms: number): number {
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Interleaved rounds of `a` and `b`: median ops/s of each and the median of the per-round ratios a/b. */
export function compare(
  a: () => unknown,
  b: () => unknown,
  rounds = 7,
  msPerRound = 80,
): { a: number; b: number; ratio: number } {
  opsPerSec(a, 40);
  opsPerSec(b, 40);
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const x = timed(a, msPerRound);
    const y = timed(b, msPerRound);
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

/** Measure a baseline and ours in the same run; push both, ours with the ratio ours/baseline. */
export function pair(
  out: BenchResult[],
  name: string,
  fn: () => unknown,
  baseline: string,
  baseFn: () => unknown,
): void {
  const m = compare(fn, baseFn);
  if (!out.some((r) => r.name === baseline)) out.push({ name: baseline, opsPerSec: m.b });
  out.push({ name, opsPerSec: m.a, baseline, ratio: m.ratio });
}
