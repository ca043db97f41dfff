// Builds packages/web/dist when it is missing, older than a source it is built from (the app and
// the packages it bundles), or when MOSTRO_WEB_REBUILD=1, so that `npm start` on a fresh clone
// serves the browser client and the web tests never open a stale app.
//   node scripts/web/build.mjs      # `npm start` runs this first (prestart)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const SOURCES = [
  'web/src',
  'web/public',
  'web/index.html',
  'web/vite.config.ts',
  'web/svelte.config.js',
  'client/src',
  'nostr/src',
  'protocol/src',
];

/** The newest modification time (ms) of a file or of any file under a directory. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

function upToDate() {
  const built = `${root}/packages/web/dist/index.html`;
  if (!existsSync(built)) return false;
  const sources = Math.max(...SOURCES.map((s) => newest(join(root, 'packages', s))));
  return statSync(built).mtimeMs >= sources;
}

export function ensureWebBuilt() {
  // A node started with the web client off (web.enabled = false) needs no app.
  if (process.env.MOSTRO_WEB_ENABLED === 'false') return;
  if (process.env.MOSTRO_WEB_REBUILD !== '1' && upToDate()) return;
  const r = spawnSync('npm', ['run', 'build', '--silent', '-w', '@mostro/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the web client failed (exit ${r.status})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureWebBuilt();
