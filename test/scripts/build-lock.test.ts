// The scripts' build lock: a builder killed with -9 leaves its lock behind, and the next run takes
// it over at once because the lock names an owner that no longer runs; a live owner is waited for.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readOwner, withBuildLock } from '../../scripts/lib/build-lock.mjs';

const moduleUrl = new URL('../../scripts/lib/build-lock.mjs', import.meta.url).href;
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
  dirs.push(dir);
  return join(dir, 'cache', 'thing');
}

/** A separate process that takes the lock and builds forever; resolves once it holds the lock. */
async function lockHolder(root: string): Promise<ChildProcess> {
  const script = `import { withBuildLock } from ${JSON.stringify(moduleUrl)};
await withBuildLock(${JSON.stringify(root)}, {}, async () => { console.log('locked'); await new Promise(() => setInterval(() => {}, 1000)); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return child;
}

test('a lock left by a builder killed with -9 names its owner and is taken over at once', async () => {
  const root = tempRoot();
  const holder = await lockHolder(root);
  const owner = readOwner(`${root}.lock`);
  assert.equal(owner?.pid, holder.pid);
  assert.ok(owner?.startedAt && owner.host && owner.command);
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.ok(existsSync(`${root}.lock`), 'the killed builder left its lock');

  const started = Date.now();
  let built = false;
  const lines: string[] = [];
  await withBuildLock(root, { log: (l) => lines.push(l), pollMs: 60_000 }, async () => {
    built = true;
    assert.equal(readOwner(`${root}.lock`)?.pid, process.pid, 'the new run owns the lock while it builds');
  });
  assert.ok(built, 'the next run built');
  assert.ok(Date.now() - started < 2000, `took over at once (${Date.now() - started} ms)`);
  assert.match(lines.join('\n'), new RegExp(`owner pid ${holder.pid} is gone`));
  assert.ok(!existsSync(`${root}.lock`), 'the lock is released after the build');
});

test('a live owner is waited for, and a waiter stops as soon as the result is there', async () => {
  const root = tempRoot();
  const holder = await lockHolder(root);
  const result = join(root, 'bin');
  setTimeout(() => {
    mkdirSync(result, { recursive: true });
    writeFileSync(join(result, 'done'), '');
  }, 300);
  let built = false;
  await withBuildLock(root, { pollMs: 50, done: () => existsSync(join(result, 'done')) }, async () => {
    built = true;
  });
  assert.equal(built, false, 'the waiter did not build over a live owner');
  assert.equal(readOwner(`${root}.lock`)?.pid, holder.pid, 'the live owner keeps its lock');
  holder.kill('SIGKILL');
});

test('a lock without an owner (the old format) is stale only after maxAgeMs', async () => {
  const root = tempRoot();
  mkdirSync(`${root}.lock`, { recursive: true });
  let waited = 0;
  await withBuildLock(root, { pollMs: 20, done: () => ++waited >= 3 }, async () =>
    assert.fail('built over a young unnamed lock'),
  );
  let built = false;
  await withBuildLock(root, { maxAgeMs: -1 }, async () => {
    built = true;
  });
  assert.ok(built);
});
