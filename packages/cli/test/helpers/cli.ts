// Runs the real `mostro` binary as a child process, one home directory per user.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mostro.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON (tests read it loosely). */
  // biome-ignore lint/suspicious/noExplicitAny: test helper, shapes asserted by each test
  json: any;
}

export interface CliUser {
  home: string;
  env?: Record<string, string>;
}

export function mostro(
  user: CliUser | null,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MOSTRO_PASSPHRASE: 'test passphrase',
      ...(user?.env ?? {}),
      ...(opts.env ?? {}),
    };
    if (user) env.MOSTRO_HOME = user.home;
    for (const k of ['MOSTRO_NODE', 'MOSTRO_RELAYS', 'MOSTRO_PRIVATE', 'MOSTRO_JSON'] as const)
      if (!user?.env?.[k] && !opts.env?.[k]) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts a long-running command (watch modes); `stop()` sends SIGTERM and resolves with its output. */
export function mostroBackground(user: CliUser, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOSTRO_PASSPHRASE: 'test passphrase',
    MOSTRO_HOME: user.home,
    ...(user.env ?? {}),
  };
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  return {
    output: () => stdout,
    errput: () => stderr,
    /** Resolves when stdout contains `text`. */
    async waitFor(text: string | RegExp, timeoutMs = 30_000): Promise<void> {
      const start = Date.now();
      while (!(typeof text === 'string' ? stdout.includes(text) : text.test(stdout))) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out waiting for ${text}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(): Promise<{ code: number; stdout: string; stderr: string }> {
      child.kill('SIGTERM');
      const code = await closed;
      return { code, stdout, stderr };
    },
  };
}
