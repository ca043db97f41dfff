#!/usr/bin/env node
// Stops the network started by up.mjs: every daemon it started, then its temporary directory.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runsWith, stopProcess } from './proc.mjs';

const pointerFile = join(tmpdir(), 'mostro-regtest-up.json');
const envFile = join(tmpdir(), 'mostro-regtest.env');
if (!existsSync(pointerFile)) {
  console.log('no regtest network started by up.mjs');
  process.exit(0);
}
const { stateFile, env } = JSON.parse(readFileSync(pointerFile, 'utf8'));
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { pids: [], dirs: [] };
await Promise.all(state.pids.filter((pid) => runsWith(pid, state.dirs[0])).map((pid) => stopProcess(pid)));
for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
rmSync(pointerFile, { force: true });
rmSync(envFile, { force: true });
console.log(`stopped the regtest network in ${env.MOSTRO_REGTEST_DIR}`);
