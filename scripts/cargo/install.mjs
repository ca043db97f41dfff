// Installing Rust programs from crates.io for the test suite, shared by the relay and the
// reference builds: one install root per crate and version under ~/.cache/mostro-ts, ONE cargo
// target dir for all of them (so crates they have in common compile once), build prerequisites
// from apt-get when missing, and the shared build lock of scripts/lib/build-lock.mjs (it names its
// owner and is taken over when the owner is gone).
//
//   import { cargoInstall } from './scripts/cargo/install.mjs';
//   const bin = await cargoInstall({ crate: 'mostro', version: '0.20.2', bin: 'mostrod', root, locked: true });
//
// Environment: MOSTRO_CARGO_TARGET_DIR (default ~/.cache/mostro-ts/cargo-target),
// MOSTRO_CARGO_JOBS (cargo -j, default 2).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withBuildLock } from '../lib/build-lock.mjs';

export const cacheRoot = () => join(homedir(), '.cache', 'mostro-ts');
export const sharedCargoTargetDir = () => process.env.MOSTRO_CARGO_TARGET_DIR ?? join(cacheRoot(), 'cargo-target');

const have = (command, args = ['--version']) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function run(log, command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  return result.status === 0;
}

/**
 * protoc (mostrod and nostr-rs-relay compile gRPC protos in build.rs), a C compiler (bundled
 * SQLite, secp256k1), pkg-config + OpenSSL headers (native-tls). Installed with apt-get when missing.
 */
export function ensureBuildTools(log, what) {
  if (!have('cargo'))
    throw new Error(`cargo is not installed: ${what} is built from crates.io with cargo (install Rust first)`);
  const missing = [];
  if (!have('protoc')) missing.push('protobuf-compiler');
  if (!have('cc')) missing.push('build-essential');
  if (!have('pkg-config')) missing.push('pkg-config');
  if (!have('pkg-config', ['--exists', 'openssl'])) missing.push('libssl-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !have('apt-get', ['--version'])) {
    throw new Error(`building ${what} needs these system packages: ${missing.join(' ')} (install them first)`);
  }
  log(`installing build prerequisites with apt-get: ${missing.join(' ')}`);
  run(log, 'apt-get', ['update', '-qq']);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!run(log, 'apt-get', ['install', '-y', '-qq', ...missing], { env })) {
    throw new Error(`apt-get install ${missing.join(' ')} failed`);
  }
}

/**
 * `cargo install <crate>@<version> --root <root>` into the shared target dir, once; returns the
 * path of `<root>/bin/<bin>`. `locked` uses the crate's own Cargo.lock (reproducible), which
 * crates whose lockfile still compiles should want.
 */
export async function cargoInstall({
  crate,
  version,
  bin,
  root,
  locked,
  log,
  jobs = process.env.MOSTRO_CARGO_JOBS ?? '2',
  note = '',
}) {
  const binary = join(root, 'bin', bin);
  if (existsSync(binary)) return binary;
  await withBuildLock(root, { log, done: () => existsSync(binary) }, async () => {
    if (existsSync(binary)) return;
    ensureBuildTools(log, `${crate} ${version}`);
    const targetDir = sharedCargoTargetDir();
    const started = Date.now();
    log(`building ${crate} ${version} from crates.io into ${root} (target dir ${targetDir}, -j ${jobs}${note})`);
    const args = ['install', '-j', jobs, ...(locked ? ['--locked'] : []), '--root', root, `${crate}@${version}`];
    const ok = run(log, 'cargo', args, { env: { ...process.env, CARGO_TARGET_DIR: targetDir } });
    if (!ok || !existsSync(binary))
      throw new Error(`cargo install ${crate}@${version} failed (see the cargo output above)`);
    log(`built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
  });
  if (!existsSync(binary)) throw new Error(`${bin} missing after the build: ${binary}`);
  return binary;
}
