// Global options, shared by every command: parsed once by main.ts from the command line (anywhere
// in it) and the environment. Flags win over environment variables.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Globals {
  node: string | null;
  relays: string[];
  private: boolean;
  json: boolean;
  home: string;
  /** Reply timeout in seconds. */
  timeout: number;
  adminKey: string | null;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const envList = (v: string | undefined): string[] =>
  (v ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** The user stopped a command while it waited (Ctrl-C): not a failure. */
export class Stopped extends Error {
  override readonly name = 'Stopped';
}

/** MOSTRO_JSON=1, for the commands that parse their own options (keys, inspect, wallet). */
export const jsonFromEnv = (env: NodeJS.ProcessEnv = process.env): boolean => truthy(env.MOSTRO_JSON);

let current: Globals | null = null;

export const GLOBAL_HELP = `global options (anywhere on the line; environment variable in brackets):
  --node <npub|hex>     the Mostro node [MOSTRO_NODE]
  --relay <url>         a relay, repeatable [MOSTRO_RELAYS, comma separated]
  --private             full private mode: no identity, no reputation [MOSTRO_PRIVATE=1]
  --json                machine-readable output on stdout [MOSTRO_JSON=1]
  --home <dir>          session directory, default ~/.mostro [MOSTRO_HOME]
  --timeout <seconds>   how long to wait for the node, default 15 [MOSTRO_TIMEOUT]
  --admin-key <nsec>    solver/operator key for admin commands [MOSTRO_ADMIN_KEY]
  passphrase: typed at the prompt, or [MOSTRO_PASSPHRASE] for scripts`;

/** Removes the global options from argv and returns them with the remaining arguments. */
export function parseGlobals(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { globals: Globals; rest: string[] } {
  const g: Globals = {
    node: env.MOSTRO_NODE?.trim() || null,
    relays: envList(env.MOSTRO_RELAYS),
    private: truthy(env.MOSTRO_PRIVATE),
    json: truthy(env.MOSTRO_JSON),
    home: env.MOSTRO_HOME?.trim() || join(homedir(), '.mostro'),
    timeout: Number(env.MOSTRO_TIMEOUT ?? 15),
    adminKey: env.MOSTRO_ADMIN_KEY?.trim() || null,
  };
  const flagRelays: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    if (raw === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--'))
        throw new UsageError(`option ${name} needs a value`, `write ${name} <value>`);
      i++;
      return v;
    };
    switch (name) {
      case '--node':
        g.node = value();
        break;
      case '--relay':
        flagRelays.push(...envList(value()));
        break;
      case '--private':
        g.private = true;
        break;
      case '--json':
        g.json = true;
        break;
      case '--home':
        g.home = value();
        break;
      case '--timeout':
        g.timeout = Number(value());
        break;
      case '--admin-key':
        g.adminKey = value();
        break;
      default:
        rest.push(raw);
    }
  }
  if (flagRelays.length > 0) g.relays = flagRelays;
  if (!Number.isFinite(g.timeout) || g.timeout <= 0 || g.timeout > 3600) {
    throw new UsageError(`--timeout must be a number of seconds between 1 and 3600`, 'for example --timeout 30');
  }
  for (const r of g.relays) {
    if (!/^wss?:\/\/[^\s]+$/.test(r))
      throw new UsageError(`relay '${r}' is not a ws:// or wss:// URL`, 'for example --relay wss://relay.example.com');
  }
  current = g;
  return { globals: g, rest };
}

export function globals(): Globals {
  return current ?? parseGlobals([]).globals;
}
