// The `mostrod` command as an operator runs it: init, a bad setting or a taken port that stops
// start-up with a line naming the setting, a start on the embedded defaults whose banner says that no
// real money moves, and `npm start` stopped by a signal to npm.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { eventually } from '../support/relay-query.ts';

const bin = fileURLToPath(new URL('../../bin/mostrod.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mostrod-bin-'));
  dirs.push(d);
  return d;
};

describe('mostrod', () => {
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('init writes a private config with a fresh key and refuses to overwrite it', () => {
    const dir = tempDir();
    const first = spawnSync(process.execPath, [bin, 'init', '--data-dir', dir], { encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /node key: npub1/);
    const config = join(dir, 'config.toml');
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.match(readFileSync(config, 'utf8'), /nsec_privkey = "[0-9a-f]{64}"/);
    const again = spawnSync(process.execPath, [bin, 'init', '--data-dir', dir], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
  });

  it('stops start-up on a bad setting, naming it and the variable it came from', () => {
    const dir = tempDir();
    spawnSync(process.execPath, [bin, 'init', '--data-dir', dir]);
    const run = spawnSync(process.execPath, [bin, '--data-dir', dir], {
      encoding: 'utf8',
      env: { ...process.env, MOSTRO_MOSTRO_FEE: '7' },
      timeout: 30_000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /mostro\.fee \(from MOSTRO_MOSTRO_FEE\): expected a number between 0 and 1/);
  });

  for (const [section, what] of [
    ['relay', 'the embedded relay'],
    ['wallet', 'the simulated wallet API'],
  ] as const) {
    it(`a taken ${section} port stops start-up with one line naming ${section}.port and its variable`, async () => {
      const dir = tempDir();
      const blocker = await occupy();
      const port = (blocker.address() as { port: number }).port;
      try {
        const env: Record<string, string> = {
          MOSTRO_RELAY_PORT: String(await freePort()),
          MOSTRO_WALLET_PORT: String(await freePort()),
        };
        env[`MOSTRO_${section.toUpperCase()}_PORT`] = String(port);
        const run = spawnSync(process.execPath, [bin, '--data-dir', dir], {
          encoding: 'utf8',
          env: { ...process.env, ...env, MOSTRO_DEBUG: '' },
          timeout: 60_000,
        });
        assert.equal(run.status, 1, run.stderr);
        const lines = run.stderr.trim().split('\n');
        assert.deepEqual(lines, [
          `mostrod: cannot start: port ${port} on 127.0.0.1 (${what}) is already in use: choose another with ${section}.port in the config or MOSTRO_${section.toUpperCase()}_PORT`,
        ]);
        assert.doesNotMatch(run.stdout, /mostrod is running/);
      } finally {
        blocker.close();
      }
    });
  }

  it('starts a whole node on a fresh data directory and says that no real money moves', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [bin, '--data-dir', dir], {
      env: {
        ...process.env,
        MOSTRO_RELAY_PORT: String(await freePort()),
        MOSTRO_WALLET_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 60_000);
        child.stdout.on('data', () => {
          if (out.includes('PRICES ARE SIMULATED')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      assert.match(out, /no config found: wrote the embedded defaults/);
      assert.match(out, /node:\s+npub1/);
      assert.match(out, /relays: ws:\/\/127\.0\.0\.1:\d+/);
      assert.match(out, /LIGHTNING IS SIMULATED: no real money moves/);
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.once('exit', r));
      assert.equal(code, 0, 'a clean stop on SIGTERM');
    }
  });

  it('npm start stops when npm is told to stop: no process left, both ports free', async () => {
    const dir = tempDir();
    const ports = [await freePort(), await freePort()];
    const npm = spawn('npm', ['start', '--', '--data-dir', dir], {
      cwd: repoRoot,
      env: {
        ...process.env,
        HOME: dir,
        MOSTRO_RELAY_PORT: String(ports[0]),
        MOSTRO_WALLET_PORT: String(ports[1]),
        MOSTRO_WEB_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (c) => {
      out += c;
    });
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 90_000);
      npm.stdout.on('data', () => {
        if (out.includes('PRICES ARE SIMULATED')) {
          clearTimeout(timer);
          resolve();
        }
      });
      npm.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.ok(processesMentioning(dir).length >= 2, 'npm and the node run');

    npm.kill('SIGTERM');
    await exited;
    const left = await eventually(() => {
      const pids = processesMentioning(dir);
      return pids.length === 0 ? pids : undefined;
    }, 30_000).catch(() => processesMentioning(dir));
    // Whatever the verdict, leave nothing running.
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    assert.deepEqual(left, [], 'every process of npm start is gone');
    for (const port of ports) assert.equal(await canListen(port), true, `port ${port} is free`);
  });
});

/** Listens on a free port of 127.0.0.1, as another program would. */
function occupy(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Pids of the processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
