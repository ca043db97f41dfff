// Chaos-test pieces: a relay that can be stopped and started again on the same port with its store
// (the embedded relay, run on its own), and a real mostrod process (bin/mostrod.mjs, simulated
// Lightning with its wallet API, the relay above) that can be killed with SIGKILL and started again
// on the same data directory. Loopback only.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SmallOrder } from '@mostro/protocol';
import { getPublicKey } from 'nostr-tools/pure';
import { openDatabase } from '../../src/db/open.ts';
import { getOrder, type OrderRow } from '../../src/db/orders.ts';
import { type EmbeddedRelay, startEmbeddedRelayThread } from '../../src/relay/index.ts';
import { freePort } from '../support/ports.ts';
import type { Received, TestUser } from '../support/test-user.ts';
import type { SimWallet } from '../support/wallet.ts';

const bin = fileURLToPath(new URL('../../bin/mostrod.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class StoppableRelay {
  private relay: EmbeddedRelay | null = null;
  private constructor(
    readonly port: number,
    private readonly dbPath: string,
  ) {}
  static async start(dir: string): Promise<StoppableRelay> {
    const r = new StoppableRelay(await freePort(), join(dir, 'relay.db'));
    await r.up();
    return r;
  }
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
  async up(): Promise<void> {
    this.relay = await startEmbeddedRelayThread({ host: '127.0.0.1', port: this.port, dbPath: this.dbPath });
  }
  async down(): Promise<void> {
    await this.relay?.close();
    this.relay = null;
  }
}

export class MostrodProcess {
  child: ChildProcess | null = null;
  readonly pubkey: string;
  walletUrl = '';
  kills = 0;
  private constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {
    const config = readFileSync(join(dataDir, 'config.toml'), 'utf8');
    const key = config.match(/nsec_privkey = "([0-9a-f]{64})"/)?.[1];
    if (!key) throw new Error('mostrod init wrote no key');
    this.pubkey = getPublicKey(Buffer.from(key, 'hex'));
  }

  static async create(relayUrl: string, settings: Record<string, string> = {}): Promise<MostrodProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mostrod-chaos-'));
    const init = spawnSync(process.execPath, [bin, 'init', '--data-dir', dataDir], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`mostrod init: ${init.stderr}`);
    const env = {
      MOSTRO_RELAY_EMBEDDED: 'false',
      MOSTRO_NOSTR_RELAYS: relayUrl,
      MOSTRO_WALLET_PORT: String(await freePort()),
      ...settings,
    };
    const p = new MostrodProcess(dataDir, env);
    await p.start();
    return p;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawn(process.execPath, [bin, '--data-dir', this.dataDir], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let out = '';
    let err = '';
    child.stderr!.on('data', (c) => {
      err = (err + c).slice(-4000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mostrod did not start: ${err}`)), timeoutMs);
      child.stdout!.on('data', (c) => {
        out += c;
        const wallet = out.match(/wallet: (http\S+)/)?.[1];
        if (out.includes('mostrod is running') && wallet) {
          this.walletUrl = wallet;
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`mostrod exited during start-up (${code ?? signal}): ${err}`));
      });
    });
  }

  /** SIGKILL: no cleanup, no flush beyond what SQLite committed. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
    this.child = null;
  }

  async restartAfterKill(): Promise<void> {
    await this.kill9();
    await this.start();
  }

  /** The order as the node's database holds it (read-only, beside the running node). */
  order(id: string): OrderRow | undefined {
    const { db } = openDatabase(join(this.dataDir, 'mostro.db'), { readonly: true });
    try {
      return getOrder(db, id);
    } finally {
      db.close();
    }
  }

  query<T>(sql: string, ...params: unknown[]): T[] {
    const { db } = openDatabase(join(this.dataDir, 'mostro.db'), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  /** Polls the database until the order is in one of `statuses`. */
  async waitStatus(id: string, statuses: readonly string[], timeoutMs = 30_000): Promise<OrderRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const o = this.order(id);
      if (o && statuses.includes(o.status)) return o;
      if (Date.now() > deadline) throw new Error(`order ${id} is ${o?.status}, not ${statuses.join('|')}`);
      await sleep(20);
    }
  }

  async close(): Promise<void> {
    await this.kill9();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A 20 USD order of `amount` sats at market premium 0. */
export const chaosOrder = (kind: 'buy' | 'sell', amount = 20_000): SmallOrder => ({
  kind,
  status: 'pending',
  amount,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 20,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 0,
  expires_at: null,
});

/** The seller's pay-invoice that carries the hold invoice (not the one with the peer's reputation). */
export const hasPaymentRequest = (r: Received): boolean =>
  r.message.kind.action === 'pay-invoice' &&
  r.message.kind.payload !== null &&
  'payment_request' in r.message.kind.payload;

/** The amount of a chaos order, each party's half of the 0.006 fee, and how long a step may take. */
export const CHAOS_AMOUNT = 20_000;
export const CHAOS_FEE = 60;
export const CHAOS_WAIT = 90_000; // a restart on a loaded 2-core machine

/** The maker publishes a chaos order under its next trade key: the order id and that key. */
export async function publishChaosOrder(
  maker: TestUser,
  kind: 'buy' | 'sell',
): Promise<{ id: string; key: ReturnType<TestUser['next']> }> {
  const k = maker.next();
  await maker.send(k.index, { action: 'new-order', trade_index: k.index, payload: { order: chaosOrder(kind) } });
  return { id: (await maker.waitFor('new-order', CHAOS_WAIT)).message.kind.id!, key: k };
}

/** The buyer takes a sell order under its next trade key with a payout invoice for amount − fee. */
export async function takeSellWithInvoice(
  buyer: TestUser,
  wallet: SimWallet,
  id: string,
): Promise<ReturnType<TestUser['next']>> {
  const b = buyer.next();
  const invoice = await wallet.invoice(CHAOS_AMOUNT - CHAOS_FEE, 'payout');
  await buyer.send(b.index, {
    action: 'take-sell',
    id,
    trade_index: b.index,
    payload: { payment_request: [null, invoice, null] },
  });
  return b;
}
