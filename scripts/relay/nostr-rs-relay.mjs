#!/usr/bin/env node
// A relay nobody on this project wrote, for the acceptance suite: nostr-rs-relay, built from
// crates.io with cargo into a cache directory outside the repository (built once, reused).
//
//   import { startNostrRsRelay } from './scripts/relay/nostr-rs-relay.mjs';
//   const relay = await startNostrRsRelay({ port: 0 });   // → { url, port, close() }
//
//   node scripts/relay/nostr-rs-relay.mjs --build     # only make sure the binary is there
//   node scripts/relay/nostr-rs-relay.mjs [--port N]  # run one until Ctrl-C
//
// Environment:
//   MOSTRO_NOSTR_RS_RELAY_BIN    use this binary, build nothing
//   MOSTRO_NOSTR_RS_RELAY_CACHE  install root (default ~/.cache/mostro-ts/nostr-rs-relay/<version>)
//   MOSTRO_NOSTR_RS_RELAY_JOBS   cargo -j (default MOSTRO_CARGO_JOBS or 2)
// The build shares one cargo target dir with the reference builds (scripts/cargo/install.mjs).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { cacheRoot, cargoInstall } from '../cargo/install.mjs';

export const NOSTR_RS_RELAY_VERSION = '0.8.12';

const log = (line) => process.stderr.write(`[nostr-rs-relay] ${line}\n`);

export function nostrRsRelayCacheDir() {
  return process.env.MOSTRO_NOSTR_RS_RELAY_CACHE ?? join(cacheRoot(), 'nostr-rs-relay', NOSTR_RS_RELAY_VERSION);
}

/** Path of the nostr-rs-relay binary, building it first if needed (once; takes minutes). */
export async function ensureNostrRsRelay() {
  if (process.env.MOSTRO_NOSTR_RS_RELAY_BIN) return process.env.MOSTRO_NOSTR_RS_RELAY_BIN;
  // Without --locked: the crate's own lockfile pins time 0.3.25, which no longer compiles with
  // current Rust (E0282 in time::format_description), so cargo resolves the newest compatible
  // versions instead.
  return cargoInstall({
    crate: 'nostr-rs-relay',
    version: NOSTR_RS_RELAY_VERSION,
    bin: 'nostr-rs-relay',
    root: nostrRsRelayCacheDir(),
    locked: false,
    jobs: process.env.MOSTRO_NOSTR_RS_RELAY_JOBS,
    log,
    note: '; ~15 min on 2 cores when cold',
  });
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function configToml(port, dataDir) {
  // Loopback only; no rate limits, kind filters or auth, so kind 14, 1059 and addressable events
  // (38383–38386, 30078) are accepted as by a public relay; generous sizes for gift wraps.
  return `[info]
relay_url = "ws://127.0.0.1:${port}/"
name = "mostro-ts acceptance relay"
description = "nostr-rs-relay ${NOSTR_RS_RELAY_VERSION} for the mostro-ts acceptance suite"

[database]
engine = "sqlite"
data_directory = "${dataDir}"

[network]
address = "127.0.0.1"
port = ${port}

[options]
reject_future_seconds = 1800

[limits]
max_event_bytes = 262144
max_ws_message_bytes = 524288
max_ws_frame_bytes = 524288
broadcast_buffer = 16384
event_persist_buffer = 4096

[authorization]

[verified_users]
mode = "disabled"

[pay_to_relay]
enabled = false
`;
}

function waitForWebsocket(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`nostr-rs-relay exited (${child.exitCode ?? child.signalCode}) before accepting connections`));
        return;
      }
      if (Date.now() > deadline) {
        reject(new Error(`nostr-rs-relay did not accept websocket connections on ${url} within ${timeoutMs} ms`));
        return;
      }
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.close();
        resolve();
      });
      ws.once('error', () => setTimeout(attempt, 100));
    };
    attempt();
  });
}

/**
 * Start nostr-rs-relay on 127.0.0.1 with a fresh temporary data directory.
 * @param {{ port?: number, startTimeoutMs?: number, quiet?: boolean }} [options] port 0/absent = a free port
 * @returns {Promise<{ url: string, port: number, dataDir: string, close(): Promise<void> }>}
 */
export async function startNostrRsRelay({ port = 0, startTimeoutMs = 30_000, quiet = true } = {}) {
  const binary = await ensureNostrRsRelay();
  const actualPort = port || (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'nostr-rs-relay-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const configPath = join(dir, 'config.toml');
  writeFileSync(configPath, configToml(actualPort, dataDir));
  const child = spawn(binary, ['--config', configPath, '--db', dataDir], {
    cwd: dir,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `ws://127.0.0.1:${actualPort}`;

  let closing;
  const close = () => {
    closing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return closing;
  };

  try {
    await waitForWebsocket(url, child, startTimeoutMs);
  } catch (error) {
    await close();
    throw new Error(`${error.message}${stderr ? `\n${stderr}` : ''}`);
  }
  return { url, port: actualPort, dataDir, close };
}

// Command line.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args.includes('--build')) {
    const binary = await ensureNostrRsRelay();
    log(`ready: ${binary}`);
  } else {
    const at = args.indexOf('--port');
    const relay = await startNostrRsRelay({ port: at >= 0 ? Number(args[at + 1]) : 0, quiet: false });
    log(`listening on ${relay.url} (data in ${relay.dataDir}); Ctrl-C to stop`);
    const stop = () => relay.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
