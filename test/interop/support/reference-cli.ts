// The real mostro-cli 0.16.3 (built by scripts/reference/build.mjs) as its user runs it: one
// process per command, configured by MOSTRO_PUBKEY / RELAYS, one HOME per person (its mnemonic and
// orders live in $HOME/.mcli/mcli.db, read here to learn order ids and trade keys the way its user
// would read its tables).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { haveReference, referenceBinaryPath } from '../../../scripts/reference/build.mjs';

/** Why a file that needs the reference mostro-cli skips, or false when it runs. */
export const refCliSkip = (): string | false =>
  process.env.MOSTRO_REFERENCE_CLI_BIN && haveReference('mostro-cli')
    ? false
    : 'needs the interop group (reference mostro-cli build)';

export interface RefCliUser {
  name: string;
  home: string;
  /** npub or hex of the node, and its relays. */
  node: string;
  relays: string[];
}

export interface RefCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function refCliUser(root: string, name: string, node: string, relays: string[]): RefCliUser {
  const home = join(root, name);
  mkdirSync(home, { recursive: true });
  return { name, home, node, relays };
}

/** Runs `mostro-cli <args>` as `user`; `input` goes to stdin (neworder asks for confirmation). */
export function refCli(
  user: RefCliUser,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RefCliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: user.home,
      MOSTRO_PUBKEY: user.node,
      RELAYS: user.relays.join(','),
      ...opts.env,
    };
    const child = spawn(referenceBinaryPath('mostro-cli'), args, { env, cwd: user.home, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface RefCliOrderRow {
  id: string;
  kind: string | null;
  status: string | null;
  amount: number;
  fiat_code: string;
  fiat_amount: number;
  trade_keys: string | null;
  counterparty_pubkey: string | null;
  is_mine: number | null;
}

/** The orders mostro-cli keeps for this user (its local database), by id. */
export function refCliOrders(user: RefCliUser): Map<string, RefCliOrderRow> {
  const file = join(user.home, '.mcli', 'mcli.db');
  if (!existsSync(file)) return new Map();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT * FROM orders').all() as RefCliOrderRow[];
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    db.close();
  }
}

/** mostro-cli's identity key (index 0) and last trade index, from its users table. */
export function refCliIdentity(user: RefCliUser): { pubkey: string; mnemonic: string; lastTradeIndex: number | null } {
  const db = new Database(join(user.home, '.mcli', 'mcli.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT i0_pubkey, mnemonic, last_trade_index FROM users').get() as {
      i0_pubkey: string;
      mnemonic: string;
      last_trade_index: number | null;
    };
    return { pubkey: row.i0_pubkey, mnemonic: row.mnemonic, lastTradeIndex: row.last_trade_index };
  } finally {
    db.close();
  }
}
