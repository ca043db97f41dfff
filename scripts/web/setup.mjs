// Set-up of the `web` test group: Debian's Chromium (installed with apt-get when missing, as root,
// like scripts/relay does for its build tools; no browser download) and a built packages/web/dist.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from './build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.MOSTRO_CHROMIUM ?? '/usr/bin/chromium';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

export async function setupWeb() {
  if (!existsSync(CHROMIUM)) {
    if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install it with apt-get install chromium`);
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
  }
  ensureWebBuilt();
  return { MOSTRO_CHROMIUM: CHROMIUM };
}
