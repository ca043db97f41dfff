// Command-line parsing for one command: node:util parseArgs in strict mode, with its errors turned
// into one-line UsageErrors that say what to type instead.
import { parseArgs as nodeParseArgs } from 'node:util';
import { UsageError } from './globals.ts';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(
  _command: string,
  argv: string[],
  options: Record<string, OptionSpec>,
  usage: string,
): Parsed {
  try {
    const r = nodeParseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return r as Parsed;
  } catch (e) {
    const msg =
      (e as Error).message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? 'bad arguments';
    // `fail` already names the command: "mostro new: Unknown option …", not "mostro new: new: …".
    throw new UsageError(msg, `usage: ${usage}`);
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** Exactly `n` positionals (named for the error message). */
export function positionals(p: Parsed, names: string[], usage: string, opts: { atLeast?: boolean } = {}): string[] {
  const got = p.positionals;
  const tooFew = got.length < names.length;
  const tooMany = !opts.atLeast && got.length > names.length;
  if (tooFew)
    throw new UsageError(
      `missing ${names
        .slice(got.length)
        .map((n) => `<${n}>`)
        .join(' ')}`,
      `usage: ${usage}`,
    );
  if (tooMany) throw new UsageError(`unexpected argument '${got[names.length]}'`, `usage: ${usage}`);
  return got;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What a person may type for an id: the whole UUID or a prefix of it (at least 4 characters). */
const ID_PREFIX = /^[0-9a-f][0-9a-f-]{3,35}$/i;

export function orderId(value: string, what = 'order id'): string {
  if (!UUID.test(value) && !ID_PREFIX.test(value))
    throw new UsageError(
      `'${value}' is not a valid ${what} (a UUID like 308e1272-d5f4-47e6-bd97-3504baea9c23, or its first characters)`,
      'copy the id from `mostro trades` or `mostro orders`',
    );
  return value.toLowerCase();
}

/** A whole UUID only (ids the node must resolve, such as a dispute's). */
export function fullId(value: string, what = 'order id'): string {
  if (!UUID.test(value))
    throw new UsageError(
      `'${value}' is not a valid ${what} (a UUID like 308e1272-d5f4-47e6-bd97-3504baea9c23)`,
      'copy the whole id',
    );
  return value.toLowerCase();
}

/**
 * The one id among `known` that `value` (a whole id or a unique prefix) names. A whole UUID that is
 * not among them is returned as it is (the caller's lookup says what is wrong with it).
 */
export function resolveId(value: string, known: Iterable<string>, what = 'order id'): string {
  const typed = orderId(value, what);
  const ids = [...new Set(known)].map((k) => k.toLowerCase());
  if (ids.includes(typed)) return typed;
  const matches = ids.filter((k) => k.startsWith(typed));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1)
    throw new UsageError(
      `${what} '${value}' is ambiguous: ${matches.sort().join(', ')}`,
      'type more characters of the id',
    );
  if (UUID.test(typed)) return typed;
  throw new UsageError(`no ${what} starts with '${value}'`, 'copy the id from `mostro trades` or `mostro orders`');
}

/** A positive integer (or non-negative with allowZero). */
export function int(value: string | undefined, name: string, opts: { min?: number; max?: number } = {}): number {
  const n = value !== undefined && /^-?[0-9]+$/.test(value.trim()) ? Number(value) : Number.NaN;
  const min = opts.min ?? 1;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` ≥ ${min}`}, got '${value ?? ''}'`,
      `for example ${name} ${Math.max(min, 1)}`,
    );
  }
  return n;
}

/** `N` or `MIN-MAX` (clients.md V6 check_fiat_range). */
export function fiatAmount(value: string | undefined): number | [number, number] {
  if (value === undefined)
    throw new UsageError('missing --amount', 'give the fiat amount: --amount 100 or a range --amount 100-500');
  const parts = value.split('-');
  if (parts.length > 2 || parts.some((p) => !/^[0-9]+$/.test(p)))
    throw new UsageError(`wrong amount syntax '${value}'`, 'use a whole number (100) or a range (100-500)');
  const [a, b] = parts.map(Number) as [number, number?];
  if (b === undefined) {
    if (a <= 0) throw new UsageError('the fiat amount must be more than 0', 'for example --amount 100');
    return a;
  }
  if (a >= b)
    throw new UsageError(
      `range of values must be 100-200 for example (got ${value})`,
      'the first number must be smaller than the second',
    );
  return [a, b];
}
