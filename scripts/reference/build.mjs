#!/usr/bin/env node
// The reference implementation, for the interop tests: mostrod (crate `mostro`) and mostro-cli,
// built from crates.io with `cargo install --locked` (their own lockfiles build as published),
// cached under ~/.cache/mostro-ts/reference/<crate>-<version> with the one shared cargo target
// dir (scripts/cargo/install.mjs). Built once; later runs only check the binaries are there.
//
//   import { ensureReference } from './scripts/reference/build.mjs';
//   const { mostrod, mostroCli } = await ensureReference();
//
//   node scripts/reference/build.mjs            # build both (cold: tens of minutes on 2 cores)
//   node scripts/reference/build.mjs mostrod    # only one
//
// Environment: MOSTRO_REFERENCE_MOSTROD_BIN / MOSTRO_REFERENCE_CLI_BIN use these binaries and
// build nothing; MOSTRO_REFERENCE_CACHE is the parent of the install roots.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, cargoInstall } from '../cargo/install.mjs';

export const MOSTROD_VERSION = '0.20.2';
export const MOSTRO_CLI_VERSION = '0.16.3';

const log = (line) => process.stderr.write(`[reference] ${line}\n`);

export const referenceCacheDir = () => process.env.MOSTRO_REFERENCE_CACHE ?? join(cacheRoot(), 'reference');

const targets = {
  mostrod: { crate: 'mostro', version: MOSTROD_VERSION, bin: 'mostrod', env: 'MOSTRO_REFERENCE_MOSTROD_BIN' },
  'mostro-cli': {
    crate: 'mostro-cli',
    version: MOSTRO_CLI_VERSION,
    bin: 'mostro-cli',
    env: 'MOSTRO_REFERENCE_CLI_BIN',
  },
};

const rootOf = (t) => join(referenceCacheDir(), `${t.crate}-${t.version}`);

/** Where the binary is (or will be) installed; no build. */
export function referenceBinaryPath(name) {
  const t = targets[name];
  return process.env[t.env] ?? join(rootOf(t), 'bin', t.bin);
}

/** True when the binary is already built (tests that must stay short skip otherwise). */
export const haveReference = (name) => existsSync(referenceBinaryPath(name));

/** Path of one reference binary, building it first when missing. */
export async function ensureReferenceBinary(name) {
  const t = targets[name];
  if (!t) throw new Error(`unknown reference binary ${name} (one of ${Object.keys(targets).join(', ')})`);
  if (process.env[t.env]) return process.env[t.env];
  return cargoInstall({ crate: t.crate, version: t.version, bin: t.bin, root: rootOf(t), locked: true, log });
}

/** Both reference binaries, built when missing (mostrod first: it is the longer build). */
export async function ensureReference() {
  const mostrod = await ensureReferenceBinary('mostrod');
  const mostroCli = await ensureReferenceBinary('mostro-cli');
  return { mostrod, mostroCli };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : Object.keys(targets)) {
    log(`ready: ${await ensureReferenceBinary(name)}`);
  }
}
