// Builds btcd, lnd and lncli from the versions pinned in tools/go/go.mod (sources come from the Go
// module proxy) and caches the binaries outside the work tree, keyed by the pinned versions and the
// build tags, so a second run reuses them.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from '../lib/build-lock.mjs';
import { isAlive } from './proc.mjs';

export const toolsDir = fileURLToPath(new URL('../../tools/go/', import.meta.url));
export const LND_TAGS = ['invoicesrpc', 'routerrpc', 'signrpc', 'walletrpc', 'chainrpc'];
const PACKAGES = [
  'github.com/btcsuite/btcd',
  'github.com/lightningnetwork/lnd/cmd/lnd',
  'github.com/lightningnetwork/lnd/cmd/lncli',
];
export const BINARIES = ['btcd', 'lnd', 'lncli'];
// Bump when the way the binaries are built changes, so cached ones are rebuilt.
const BUILD_RECIPE = 'ldflags-version-v1';

const pinnedVersion = (goMod, module) => {
  const match = goMod.match(new RegExp(`^\\s*${module.replaceAll('.', '\\.')} (v\\S+)`, 'm'));
  if (!match) throw new Error(`tools/go/go.mod does not pin ${module}`);
  return match[1];
};

/** Cache directory for the pinned versions: <cache>/<lnd>_btcd-<btcd>_<hash of go.mod+go.sum+tags>/bin. */
export function binDir() {
  const goMod = readFileSync(join(toolsDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(join(toolsDir, 'go.sum'), 'utf8');
  const lnd = pinnedVersion(goMod, 'github.com/lightningnetwork/lnd');
  const btcd = pinnedVersion(goMod, 'github.com/btcsuite/btcd');
  const digest = createHash('sha256')
    .update(goMod)
    .update(goSum)
    .update(LND_TAGS.join(','))
    .update(BUILD_RECIPE)
    .digest('hex')
    .slice(0, 12);
  const cache = process.env.MOSTRO_REGTEST_CACHE || join(homedir(), '.cache', 'mostro-ts', 'regtest');
  return { dir: join(cache, `lnd-${lnd}_btcd-${btcd}_${digest}`, 'bin'), lnd, btcd };
}

/** The git commit of the pinned lnd, as the module proxy reports it ('' when it does not). */
function lndCommitHash(version, env) {
  try {
    const out = execFileSync('go', ['mod', 'download', '-json', `github.com/lightningnetwork/lnd@${version}`], {
      cwd: toolsDir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out).Origin?.Hash ?? '';
  } catch {
    return '';
  }
}

const haveAll = (dir) => BINARIES.every((b) => existsSync(join(dir, b)));

/** Returns the directory holding btcd, lnd and lncli, building them first when they are not cached. */
export async function ensureBinaries({ log = (m) => console.error(m) } = {}) {
  const { dir, lnd, btcd } = binDir();
  if (haveAll(dir)) return dir;
  // One build at a time; a waiter uses the owner's binaries as soon as they are there.
  await withBuildLock(dir, { log, done: () => haveAll(dir) }, async () => {
    if (!haveAll(dir)) await build(dir, lnd, btcd, log);
  });
  if (!haveAll(dir)) throw new Error(`regtest: ${BINARIES.join(', ')} missing in ${dir} after the build`);
  return dir;
}

async function build(dir, lnd, btcd, log) {
  const staging = `${dir}.tmp-${process.pid}`;
  // Leftovers of builds that were killed (their pid no longer runs).
  for (const name of existsSync(dirname(dir)) ? readdirSync(dirname(dir)) : []) {
    const pid = Number(name.match(/^bin\.tmp-(\d+)$/)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`regtest: building lnd ${lnd} and btcd ${btcd} into ${dir} (first run only; takes many minutes on 2 cores)`);
  const started = Date.now();
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -mod=readonly' };
  // What lnd's Makefile stamps in (getinfo's version and commit_hash): the module's tag and commit.
  const commit = lndCommitHash(lnd, env);
  const pkg = 'github.com/lightningnetwork/lnd/build';
  const ldflags = [
    `-X ${pkg}.Commit=${lnd}`,
    `-X ${pkg}.CommitHash=${commit}`,
    `-X ${pkg}.RawTags=${LND_TAGS.join(',')}`,
  ];
  const args = ['build', '-v', '-p', '2', '-trimpath', '-tags', LND_TAGS.join(' '), '-ldflags', ldflags.join(' ')];
  args.push('-o', `${staging}/`, ...PACKAGES);
  try {
    await new Promise((resolve, reject) => {
      let child;
      try {
        child = spawn('go', args, { cwd: toolsDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (err) {
        reject(err);
        return;
      }
      let compiled = 0;
      let tail = '';
      child.stderr.on('data', (chunk) => {
        const text = chunk.toString();
        compiled += text.split('\n').filter((l) => l && !l.startsWith('go: ')).length;
        tail = (tail + text).slice(-4000);
      });
      const heartbeat = setInterval(() => {
        log(`regtest: still building (${Math.round((Date.now() - started) / 1000)}s, ${compiled} packages compiled)`);
      }, 30_000);
      child.on('error', (err) => {
        clearInterval(heartbeat);
        reject(new Error(`cannot run \`go\` (is Go installed and on PATH?): ${err.message}`));
      });
      child.on('exit', (code, signal) => {
        clearInterval(heartbeat);
        if (code === 0) resolve();
        else reject(new Error(`go ${args.join(' ')} failed (${signal ?? `exit ${code}`}) in ${toolsDir}:\n${tail}`));
      });
    });
    if (!haveAll(staging)) throw new Error(`go build finished but ${BINARIES.join(', ')} are not all in ${staging}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`regtest: built in ${Math.round((Date.now() - started) / 1000)}s`);
}

// `node scripts/regtest/build.mjs` builds (or finds) the binaries and prints their directory.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await ensureBinaries());
}
