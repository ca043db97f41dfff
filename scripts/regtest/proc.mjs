// Starting and stopping the regtest daemons: every process gets a log file, and stopping escalates
// from SIGTERM to SIGKILL so nothing is ever left running.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** True when pid is alive and its command line mentions `marker` (our temp dir): never signal a reused pid. */
export function runsWith(pid, marker) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** Spawns `bin args` with stdout and stderr appended to logFile. `detached` lets it outlive us (up.mjs). */
export function startDaemon(name, bin, args, logFile, { detached = false } = {}) {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(bin, args, { stdio: ['ignore', fd, fd], detached });
    if (detached) child.unref();
    let exit = null;
    child.on('exit', (code, signal) => {
      exit = signal ?? `exit ${code}`;
    });
    child.on('error', (err) => {
      exit = `spawn error: ${err.message}`;
    });
    return { name, pid: child.pid, logFile, exited: () => exit };
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
export async function stopProcess(pid, graceMs = 5000) {
  if (!pid || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {}
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  const hard = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < hard) await sleep(50);
}

export function tailLog(file, lines = 30) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Polls check() until it returns a truthy value; throws a clear error after timeoutMs. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250, onTimeout } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const detail = lastError ? ` (last error: ${describe(lastError)})` : '';
  throw new Error(
    `regtest: timed out after ${timeoutMs / 1000}s waiting for ${what}${detail}${onTimeout ? `\n${onTimeout()}` : ''}`,
  );
}

export const describe = (err) => (err instanceof Error ? err.message : JSON.stringify(err));
