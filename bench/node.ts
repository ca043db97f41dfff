// The node under load: new-order messages from many client keys, through the real embedded relay,
// into a real `mostrod` process (its own OS process, simulated Lightning, SQLite). For each transport
// it reports the sustained rate (first request published → last ack received; every request is
// signed before that window), reply latency p50/p99, and the ratio to the crypto-only bound: the
// cryptographic work per message of the node (outer verification, unwrap, reply wrap, order-event
// signature) and of the relay (verifying the request, the reply and the order event), without any
// I/O, measured in this run on one thread and scaled to every core (the node's crypto workers and
// the relay thread let both cores work).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRelayPool } from '@mostro/nostr/node';
import {
  buildOrderEvent,
  type NostrEvent,
  newMessage,
  type SmallOrder,
  signEvent,
  type Transport,
  unwrapMessage,
  verifyEventSignature,
  wasmSecp,
  wrapMessage,
} from '@mostro/protocol';
import { decode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { BenchResult } from './result.ts';

const MESSAGES = Number(process.env.BENCH_NODE_MESSAGES ?? 600);
const WARM_UP_MESSAGES = 200;

/** The fixed-amount sell order every bench client asks for. */
export const order: SmallOrder = {
  kind: 'sell',
  status: 'pending',
  amount: 10_000,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 10,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 0,
  expires_at: null,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface Client {
  tradeKey: Uint8Array;
  tradePub: string;
  identityKey: Uint8Array;
}

// Random keys rather than mnemonics: deriving from a mnemonic costs a PBKDF2 per client, which
// would measure the load generator instead of the node.
function clients(n: number): Client[] {
  return Array.from({ length: n }, () => {
    const tradeKey = generateSecretKey();
    return { tradeKey, tradePub: getPublicKey(tradeKey), identityKey: generateSecretKey() };
  });
}

function request(c: Client, transport: Transport, nodePubkey: string): NostrEvent {
  return wrapMessage({
    transport,
    message: newMessage('order', { action: 'new-order', trade_index: 1, payload: { order } }),
    tradeKey: c.tradeKey,
    identityKey: c.identityKey,
    recipient: nodePubkey,
    secp: wasmSecp,
  });
}

/**
 * The node's and the relay's crypto per new-order, on one thread, no I/O, times the cores: the bound
 * the node and its relay together can approach.
 */
function cryptoBound(transport: Transport): number {
  const nodeKey = generateSecretKey();
  const nodePub = getPublicKey(nodeKey);
  const events = clients(200).map((c) => request(c, transport, nodePub));
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < 1500) {
    const event = events[done % events.length]!;
    if (!verifyEventSignature(event, wasmSecp)) throw new Error('bad event');
    const opened = unwrapMessage(event, nodeKey, { secp: wasmSecp, myPublicKey: nodePub, outerVerified: true });
    if (!opened?.ok) throw new Error('unwrap failed');
    const reply = wrapMessage({
      transport,
      message: newMessage('order', { action: 'new-order', id: crypto.randomUUID(), payload: { order } }),
      tradeKey: nodeKey,
      identityKey: nodeKey,
      recipient: opened.sender,
      signed: false,
      secp: wasmSecp,
    });
    const template = buildOrderEvent({
      order: {
        ...order,
        id: crypto.randomUUID(),
        kind: 'sell',
        status: 'pending',
        created_at: 1_800_000_000,
        expires_at: 2_000_000_000,
      },
      rating: null,
      mostroPubkey: nodePub,
      relays: ['ws://127.0.0.1:7000'],
      networks: ['regtest'],
      now: 1_800_000_000,
    });
    const orderEvent = signEvent(template!, nodeKey, { secp: wasmSecp });
    // The relay verifies each of the three events it stores.
    for (const stored of [event, reply, orderEvent]) {
      if (!verifyEventSignature(stored, wasmSecp)) throw new Error('bad event');
    }
    done++;
  }
  return (availableParallelism() * done * 1000) / (performance.now() - start);
}

export async function startDaemon(
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; relay: string; pubkey: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mostrod-bench-'));
  const env = {
    ...process.env,
    MOSTRO_RELAY_PORT: String(await freePort()),
    MOSTRO_WALLET_PORT: String(await freePort()),
    MOSTRO_MOSTRO_MAX_ORDER_AMOUNT: '100000000',
    MOSTRO_METRICS_PORT: '0',
    // A throughput run: every message is a first contact, and none may be refused for the load.
    MOSTRO_ORDERS_MAX_PENDING_TOTAL: '100000000',
    MOSTRO_INTAKE_POW_FIRST_CONTACT_MAX: '0',
    MOSTRO_INTAKE_QUEUE_SIZE: String(10 * MESSAGES),
    // The load comes over one connection: the relay's per-connection DM limit must not cap it.
    MOSTRO_RELAY_DM_PER_MINUTE: String(10 * MESSAGES),
    ...extraEnv,
  };
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, 'packages/daemon/bin/mostrod.mjs', '--data-dir', dir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mostrod did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('relays:')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => reject(new Error(`mostrod exited (${code}): ${out}`)));
  });
  const npub = /node:\s+(npub1\w+)/.exec(banner)?.[1];
  const relay = /relays:\s+(ws:\/\/\S+)/.exec(banner)?.[1];
  if (!npub || !relay) {
    child.kill();
    throw new Error(`unexpected banner: ${banner}`);
  }
  return { child, relay: relay.replace(/,$/, ''), pubkey: decode(npub).data as string, dir };
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function load(relay: string, nodePubkey: string, transport: Transport, messages = MESSAGES) {
  const cs = clients(messages);
  const events = cs.map((c) => request(c, transport, nodePubkey));
  const pool = nodeRelayPool({ relays: [relay], verifyEvent: (e) => verifyEventSignature(e, wasmSecp) });
  await pool.ready();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let last = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${latencies.length}/${messages} acks`)), 120_000);
    pool.subscribe([{ kinds: [transport === 'nip44' ? 14 : 1059], '#p': cs.map((c) => c.tradePub), limit: 0 }], {
      onevent: (e) => {
        const to = e.tags.find((t) => t[0] === 'p')?.[1];
        const at = to ? sentAt.get(to) : undefined;
        if (at === undefined) return;
        sentAt.delete(to!);
        last = performance.now();
        latencies.push(last - at);
        if (latencies.length === messages) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await new Promise((r) => setTimeout(r, 300));
  const first = performance.now();
  await Promise.all(
    events.map((e, i) => {
      sentAt.set(cs[i]!.tradePub, performance.now());
      return pool.publish(e);
    }),
  );
  await done;
  pool.close();
  latencies.sort((a, b) => a - b);
  return {
    rate: (messages * 1000) / (last - first),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

export async function benchNode(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const daemon = await startDaemon();
  try {
    for (const transport of ['nip44', 'gift-wrap'] as const) {
      const bound = cryptoBound(transport);
      const boundName = `${transport}: crypto-only bound (node + relay, ${availableParallelism()} cores)`;
      results.push({ name: boundName, opsPerSec: bound });
      // Sustained: the node's first messages of a kind pay for JIT and WebAssembly tier-up on each
      // of its threads; an untimed round first.
      await load(daemon.relay, daemon.pubkey, transport, WARM_UP_MESSAGES);
      const r = await load(daemon.relay, daemon.pubkey, transport);
      results.push({
        name: `${transport}: sustained new-order msg/s`,
        opsPerSec: r.rate,
        baseline: boundName,
        ratio: r.rate / bound,
        note: `reply latency p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms (${MESSAGES} messages)`,
      });
    }
  } finally {
    daemon.child.kill('SIGTERM');
    await new Promise((r) => daemon.child.once('exit', r));
    rmSync(daemon.dir, { recursive: true, force: true });
  }
  return results;
}
