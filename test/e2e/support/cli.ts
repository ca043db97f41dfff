// Runs the real `mostro` binary for one user (its own home directory and environment), with
// --json, and fails loudly with the command's output when it exits non-zero.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MOSTRO = fileURLToPath(new URL('../../../packages/cli/bin/mostro.mjs', import.meta.url));

export interface CliUser {
  name: string;
  home: string;
  env: Record<string, string>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are read loosely and asserted by the caller
  json: any;
}

export function runCli(user: CliUser, args: string[], input = '', timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MOSTRO_PASSPHRASE: 'demo passphrase', ...user.env };
    env.MOSTRO_HOME = user.home;
    if (!user.env.MOSTRO_PRIVATE) delete env.MOSTRO_PRIVATE;
    const child = spawn(process.execPath, [MOSTRO, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
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
    child.stdin.end(input);
  });
}

// biome-ignore lint/suspicious/noExplicitAny: see CliResult.json
export async function cli(user: CliUser, args: string[]): Promise<any> {
  const r = await runCli(user, [...args, '--json']);
  if (r.code !== 0)
    throw new Error(`${user.name}: mostro ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`.trim());
  return r.json;
}
