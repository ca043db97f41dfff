// Builds packages/web/dist when it is missing (or when MOSTRO_WEB_REBUILD=1), so that `npm start`
// on a fresh clone serves the browser client and the web tests have an app to open.
//   node scripts/web/build.mjs      # `npm start` runs this first (prestart)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function ensureWebBuilt() {
  // A node started with the web client off (web.enabled = false) needs no app.
  if (process.env.MOSTRO_WEB_ENABLED === 'false') return;
  if (existsSync(`${root}/packages/web/dist/index.html`) && process.env.MOSTRO_WEB_REBUILD !== '1') return;
  const r = spawnSync('npm', ['run', 'build', '--silent', '-w', '@mostro/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the web client failed (exit ${r.status})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureWebBuilt();
