// One build per cache entry at a time across processes, for every cache the scripts keep
// (nostr-rs-relay, the regtest binaries, cargo installs). The lock is a directory `<root>.lock`
// holding owner.json — pid, host, command, start time and the kernel's start tick of the pid — so a
// waiter can tell a live builder from a dead one: a lock whose owner ran on this host and no longer
// runs (or whose pid now belongs to another process) is taken over at once, not after a timeout.
//
//   import { withBuildLock } from '../lib/build-lock.mjs';
//   await withBuildLock(root, { log, done: () => existsSync(binary) }, async () => { …build… });
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The start tick of a process (field 22 of /proc/<pid>/stat), or null where there is no /proc. */
export function processStartTick(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidRuns(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export function readOwner(lock) {
  try {
    return JSON.parse(readFileSync(join(lock, 'owner.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the owner ran on this host and is gone (or its pid was reused by another process). */
export function ownerGone(owner) {
  if (!owner || owner.host !== hostname() || !Number.isInteger(owner.pid)) return false;
  if (!pidRuns(owner.pid)) return true;
  return (
    Boolean(owner.startTick) && processStartTick(owner.pid) !== null && processStartTick(owner.pid) !== owner.startTick
  );
}

const sameOwner = (a, b) => a?.pid === b?.pid && a?.host === b?.host && a?.startedAt === b?.startedAt;

/**
 * Creates the lock with its owner already inside: owner.json is written into a fresh directory
 * that is then renamed to `lock` (atomic), so no lock ever exists without a name.
 */
function tryCreate(lock) {
  // rename() replaces an EMPTY directory, which is what a lock of the old format is: look first.
  if (existsSync(lock)) return false;
  const staging = mkdtempSync(`${lock}.new-`);
  const owner = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.join(' '),
    startedAt: new Date().toISOString(),
    startTick: processStartTick(process.pid),
  };
  writeFileSync(join(staging, 'owner.json'), `${JSON.stringify(owner)}\n`);
  try {
    renameSync(staging, lock);
    return true;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error.code === 'EEXIST' || error.code === 'ENOTEMPTY' || error.code === 'EISDIR') return false;
    throw error;
  }
}

/**
 * Moves a stale lock aside (rename: only one of several waiters wins) and checks that what it moved
 * is the stale owner's; if a new owner got in between, its lock is put back.
 */
function takeOver(lock, stale) {
  const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  if (stale === undefined || sameOwner(readOwner(aside), stale)) {
    rmSync(aside, { recursive: true, force: true });
    return;
  }
  try {
    renameSync(aside, lock);
  } catch {
    rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * Runs `build` holding the lock of `root`. Waits while a live owner builds, returning early as soon
 * as `done()` says the owner's result is there. Takes over a lock whose owner is gone; a lock with
 * no owner.json (the format before owners were named) or one older than maxAgeMs is stale too.
 */
export async function withBuildLock(
  root,
  { log = () => {}, done = () => false, maxAgeMs = 120 * 60_000, pollMs = 2000 },
  build,
) {
  const lock = `${root}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  let waitingSaid = false;
  while (!tryCreate(lock)) {
    const owner = readOwner(lock);
    const ageMs = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const gone = ownerGone(owner);
    if (gone || ageMs > maxAgeMs) {
      log(
        `taking over the build lock ${lock} (${gone ? `owner pid ${owner.pid} is gone` : `${Math.round(ageMs / 60_000)} min old`})`,
      );
      takeOver(lock, owner);
      continue;
    }
    if (!waitingSaid) {
      log(
        `waiting for the build lock ${lock}, held by ${owner ? `pid ${owner.pid} on ${owner.host} since ${owner.startedAt} (${owner.command})` : 'an unnamed owner'}`,
      );
      waitingSaid = true;
    }
    if (done()) return;
    await sleep(pollMs);
    if (done()) return;
  }
  try {
    await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
