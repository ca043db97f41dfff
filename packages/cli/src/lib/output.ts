// Output: human text or JSON on stdout, errors as one line naming the cause and the fix (in JSON
// mode, a JSON error object). Exit codes: 0 done, 1 the operation failed, 2 bad input.
import { ClientError } from '@mostro/client';
import { globals, Stopped, UsageError } from './globals.ts';
import { reachableRelays } from './reach.ts';

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** JSON.stringify that turns bigints into numbers when exact, else strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v),
    2,
  );
}

/** Prints `human()` in text mode or `data` as JSON. */
export function emit(data: unknown, human: () => string | string[]): void {
  if (globals().json) {
    process.stdout.write(`${toJson(data)}\n`);
    return;
  }
  const text = human();
  const lines = Array.isArray(text) ? text : [text];
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** One event of a stream (watch modes): a JSON line, or a text line. */
export function emitLine(data: unknown, human: string): void {
  process.stdout.write(
    globals().json ? `${JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n` : `${human}\n`,
  );
}

/** Reports any thrown value and returns the exit code for it. */
export function fail(command: string, e: unknown): number {
  let code = 'internal';
  let message: string;
  let fix: string;
  let exit = EXIT_FAIL;
  if (e instanceof UsageError) {
    code = 'usage';
    message = e.message;
    fix = e.fix;
    exit = EXIT_USAGE;
  } else if (e instanceof ClientError) {
    code = e.code;
    message = e.message;
    fix = e.fix;
    if (e.code === 'invalid_input' || e.code === 'invalid_mnemonic') exit = EXIT_USAGE;
    const reached = reachableRelays();
    if ((e.code === 'timeout' || e.code === 'node_unreachable') && reached.length > 0)
      message = `the relay ${reached.join(', ')} is reachable, but the node does not answer: ${message}`;
  } else if (e instanceof Stopped) {
    return EXIT_OK;
  } else {
    message = (e as Error)?.message ?? String(e);
    fix = 'this is a bug in mostro; please report it with the command you ran';
  }
  if (globals().json) {
    process.stdout.write(`${toJson({ error: { code, message, fix } })}\n`);
  } else {
    process.stderr.write(`mostro ${command}: ${message} — ${fix}\n`);
  }
  return exit;
}

/** Runs a command body with uniform error reporting. */
export async function guard(command: string, body: () => Promise<unknown>): Promise<number> {
  try {
    const code = await body();
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (e) {
    return fail(command, e);
  }
}

/** "1 review", "2 reviews". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function table(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd(),
  );
}

export function ago(unix: number, now = Math.floor(Date.now() / 1000)): string {
  const d = unix - now;
  const abs = Math.abs(d);
  const s =
    abs < 120
      ? `${abs}s`
      : abs < 7200
        ? `${Math.round(abs / 60)}m`
        : abs < 172_800
          ? `${Math.round(abs / 3600)}h`
          : `${Math.round(abs / 86400)}d`;
  return d >= 0 ? `in ${s}` : `${s} ago`;
}
