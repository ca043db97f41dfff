// `mostrod` as a separate process, on its own data directory; what its banner says (node key,
// relay, wallet API), its private key from config.toml (to decrypt what it received) and its
// SQLite database (opened read-only for audits).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePublicKey, parseSecretKey } from '@mostro/protocol';
import Database from 'better-sqlite3';
import { freePort, type Proc, startProcess } from './processes.ts';

export const MOSTROD = fileURLToPath(new URL('../../../packages/daemon/bin/mostrod.mjs', import.meta.url));

export interface Mostrod {
  proc: Proc;
  dataDir: string;
  npub: string;
  /** Node pubkey, hex. */
  pubkey: string;
  /** The first relay of the banner. */
  relay: string;
  /** Simulated wallet API (embedded Lightning only). */
  wallet: string | null;
  secretKey(): Uint8Array;
  /** The node database, read-only; close it after use. */
  openDb(): Database.Database;
  stop(): Promise<void>;
}

export async function startMostrod(dataDir: string, env: Record<string, string> = {}): Promise<Mostrod> {
  const ports: Record<string, string> = {};
  if (env.MOSTRO_RELAY_EMBEDDED !== 'false' && !env.MOSTRO_RELAY_PORT)
    ports.MOSTRO_RELAY_PORT = String(await freePort());
  if (!env.MOSTRO_WALLET_PORT) ports.MOSTRO_WALLET_PORT = String(await freePort());
  if (!env.MOSTRO_WEB_PORT) ports.MOSTRO_WEB_PORT = String(await freePort());
  const proc = startProcess(process.execPath, [MOSTROD, '--data-dir', dataDir], {
    ...process.env,
    ...ports,
    ...env,
  });
  const [, npub] = (await proc.waitFor(/node:\s+(npub1\w+)/, 120_000)) as [string, string];
  const [, relay] = (await proc.waitFor(/relays:\s+(wss?:\/\/\S+)/, 10_000)) as [string, string];
  const wallet = proc.output().match(/wallet:\s+(http:\/\/\S+)/)?.[1] ?? null;
  const pubkey = parsePublicKey(npub);
  if (!pubkey) throw new Error(`mostrod printed a bad npub: ${npub}`);
  return {
    proc,
    dataDir,
    npub,
    pubkey,
    relay: relay.replace(/,$/, ''),
    wallet,
    secretKey() {
      const raw = readFileSync(join(dataDir, 'config.toml'), 'utf8').match(/nsec_privkey\s*=\s*"([^"]+)"/)?.[1];
      const sk = raw ? parseSecretKey(raw) : null;
      if (!sk) throw new Error('no node key in config.toml');
      return sk;
    },
    openDb() {
      return new Database(join(dataDir, 'mostro.db'), { readonly: true, fileMustExist: true });
    },
    stop: () => proc.stop(),
  };
}

/** The simulated Lightning wallet API mostrod serves in embedded mode. */
export class SimWallet {
  constructor(
    readonly base: string,
    readonly name: string,
  ) {}

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<Record<string, unknown>> {
    const res = await fetch(new URL(`/wallets/${encodeURIComponent(this.name)}${path}`, this.base), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`wallet ${this.name} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  fund(sats: number) {
    return this.call('POST', '/fund', { amount_sats: sats });
  }
  async invoice(sats: number): Promise<string> {
    const r = await this.call('POST', '/invoice', { amount_sats: sats });
    if (typeof r.bolt11 !== 'string') throw new Error(`no bolt11 in ${JSON.stringify(r)}`);
    return r.bolt11;
  }
  pay(bolt11: string) {
    return this.call('POST', '/pay', { request: bolt11 });
  }
  async balance(): Promise<number> {
    return Number((await this.call('GET', '/balance')).balance_sats);
  }
}

/** Lightning for the trade script, on mostrod's simulated network (one wallet per user name). */
export function simulatedLn(walletUrl: string) {
  const w = (name: string) => new SimWallet(walletUrl, name);
  return {
    invoice: (u: { name: string }, sats: number) => w(u.name).invoice(sats),
    async pay(u: { name: string }, bolt11: string) {
      const r = await w(u.name).pay(bolt11);
      if (r.state === 'failed') throw new Error(`${u.name}: payment failed ${JSON.stringify(r)}`);
    },
    balance: (u: { name: string }) => w(u.name).balance(),
  };
}
