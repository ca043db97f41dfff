#!/usr/bin/env node
// One test runner for the whole repository: node's built-in runner, TypeScript through tsx.
// Groups: unit (everything), regtest (*.regtest.test.ts, needs real LND), e2e (*.e2e.test.ts),
// chaos (*.chaos.test.ts: floods and faults on loopback, bounded in time and count),
// web (*.web.test.ts: the browser client in Debian's Chromium), interop (*.interop.test.ts:
// against the real reference mostrod / mostro-cli, built from crates.io).
// `--only GROUP` narrows the run; the default runs every group, setting up what each needs.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
// Without --only, onlyAt + 1 is 0: the first filter must not be taken for --only's value.
const filters = args.filter((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1));

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const GROUPS = ['regtest', 'e2e', 'chaos', 'web', 'interop'];
const groupOf = (file) => GROUPS.find((group) => file.endsWith(`.${group}.test.ts`)) ?? 'unit';
const files = [...walk(join(root, 'packages')), ...walk(join(root, 'test'))]
  .filter((f) => !only || groupOf(f) === only)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const groups = new Set(files.map(groupOf));
const env = { ...process.env };
let teardown;
// interop (*.interop.test.ts): the real reference (mostrod, mostro-cli; built from crates.io once
// and cached, scripts/reference/build.mjs) against our code, mostrod on the regtest network.
if (groups.has('interop')) {
  const { ensureReference } = await import('./reference/build.mjs');
  const { mostrod, mostroCli } = await ensureReference();
  env.MOSTRO_REFERENCE_MOSTROD_BIN = mostrod;
  env.MOSTRO_REFERENCE_CLI_BIN = mostroCli;
}
// e2e runs against a real nostr-rs-relay too: built here (once, cached) rather than inside a test,
// so the per-file timeout below is not spent on a cold cargo build.
if (groups.has('e2e')) {
  const { ensureNostrRsRelay } = await import('./relay/nostr-rs-relay.mjs');
  await ensureNostrRsRelay();
}
if (groups.has('regtest') || groups.has('interop')) {
  const { setupRegtest } = await import('./regtest/setup.mjs').catch(() => ({}));
  if (setupRegtest) {
    const net = await setupRegtest();
    Object.assign(env, net.env);
    teardown = net.teardown;
  }
}

if (groups.has('web')) {
  const { setupWeb } = await import('./web/setup.mjs');
  Object.assign(env, await setupWeb());
}

console.log(`running ${files.length} test files (${[...groups].join(', ')})`);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    // A test file that leaves a handle open after a failure would otherwise hold the run (and CI)
    // until CI's own limit: cancel any file still running after 15 minutes (the longest took ~3 on a cold run).
    '--test-timeout=900000',
    '--test-reporter=spec',
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, env, stdio: 'inherit' },
);
if (teardown) await teardown();
process.exit(result.status ?? 1);
