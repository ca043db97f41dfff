// Honest latency under a junk flood: a real `mostrod` process (default settings: rising
// first-contact PoW, bounded first-contact lane) and an honest user whose trade key has an open
// order (the known lane) asking for it again and again — first idle, then while 16 connections push
// junk kind-14 events from fresh keys at pow 0, as fast as the embedded relay takes them. Reports
// p50/p99 of the honest reply latency, both phases, and the flood/idle ratio of p99 (goal ≤ 3).
import { rmSync } from 'node:fs';
import { nodeRelayPool } from '@mostro/nostr/node';
import {
  type NostrEvent,
  newMessage,
  signEvent,
  unwrapMessage,
  verifyEventSignature,
  wasmSecp,
  wrapMessage,
} from '@mostro/protocol';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import WebSocket from 'ws';
import { order, percentile, startDaemon } from './node.ts';
import type { BenchResult } from './result.ts';

const JUNK = Number(process.env.BENCH_FLOOD_JUNK ?? 6000);
const SAMPLES = Number(process.env.BENCH_FLOOD_SAMPLES ?? 40);

function junk(node: string, n: number): string[] {
  const now = Math.floor(Date.now() / 1000) + 30; // still fresh when the last one lands
  return Array.from({ length: n }, () => {
    const content = Buffer.from(generateSecretKey()).toString('base64').repeat(4);
    const event = signEvent({ kind: 14, tags: [['p', node]], content, created_at: now }, generateSecretKey(), {
      secp: wasmSecp,
    });
    return JSON.stringify(['EVENT', event]);
  });
}

/** Pushes every frame over `connections` sockets, each sending its next frame on the relay's OK. */
function flood(url: string, frames: string[], connections: number, stop: () => boolean) {
  let next = 0;
  let accepted = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(url);
      const send = () => {
        const frame = frames[next++];
        if (!frame || stop()) return ws.close();
        ws.send(frame);
      };
      ws.on('open', send);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m[0] !== 'OK') return;
        if (m[2] === true) accepted++;
        send();
      });
      ws.on('close', () => resolve());
      ws.on('error', () => resolve());
    });
  const started = performance.now();
  return Promise.all(Array.from({ length: connections }, one)).then(() => ({
    accepted,
    perSecond: (accepted * 1000) / (performance.now() - started),
  }));
}

export async function benchFlood(): Promise<BenchResult[]> {
  const daemon = await startDaemon({
    // Only the throughput bench opens these; here the node's defaults stand.
    MOSTRO_INTAKE_POW_FIRST_CONTACT_MAX: '16',
    MOSTRO_INTAKE_QUEUE_SIZE: '1000',
    MOSTRO_RELAY_DM_PER_MINUTE: '1000000',
  });
  const pool = nodeRelayPool({ relays: [daemon.relay], verifyEvent: (e) => verifyEventSignature(e, wasmSecp) });
  try {
    await pool.ready();
    const tradeKey = generateSecretKey();
    const tradePub = getPublicKey(tradeKey);
    const identityKey = generateSecretKey();
    let waiting: ((e: NostrEvent) => void) | null = null;
    pool.subscribe([{ kinds: [14], '#p': [tradePub], limit: 0 }], { onevent: (e) => waiting?.(e) });
    await new Promise((r) => setTimeout(r, 300));
    const ask = async (fields: Parameters<typeof newMessage>[1]): Promise<{ ms: number; event: NostrEvent }> => {
      const event = wrapMessage({
        transport: 'nip44',
        message: newMessage('order', fields),
        tradeKey,
        identityKey,
        recipient: daemon.pubkey,
        secp: wasmSecp,
      });
      const start = performance.now();
      const reply = new Promise<NostrEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reply within 30 s')), 30_000);
        waiting = (e) => {
          clearTimeout(timer);
          resolve(e);
        };
      });
      await pool.publish(event);
      const got = await reply;
      return { ms: performance.now() - start, event: got };
    };
    // The honest user's order: from now on its trade key is known to the node.
    const made = await ask({ action: 'new-order', trade_index: 1, payload: { order } });
    const opened = unwrapMessage(made.event, tradeKey, { from: daemon.pubkey });
    const orderId = opened?.ok ? opened.message.kind.id : undefined;
    if (!orderId) throw new Error('the honest new-order was not acknowledged');
    const sample = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        out.push((await ask({ action: 'orders', payload: { ids: [orderId] } })).ms);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out.sort((a, b) => a - b);
    };
    const idle = await sample(SAMPLES);
    const frames = junk(daemon.pubkey, JUNK);
    let sampling = true;
    const flooding = flood(daemon.relay, frames, 16, () => !sampling);
    await new Promise((r) => setTimeout(r, 500)); // let the flood build up
    const loaded = await sample(SAMPLES);
    sampling = false;
    const f = await flooding;
    const p99Idle = percentile(idle, 0.99);
    const p99Flood = percentile(loaded, 0.99);
    return [
      {
        name: 'honest reply, idle',
        opsPerSec: 1000 / percentile(idle, 0.5),
        note: `p50 ${percentile(idle, 0.5).toFixed(1)} ms, p99 ${p99Idle.toFixed(1)} ms (${SAMPLES} requests)`,
      },
      {
        name: 'honest reply, under junk flood',
        opsPerSec: 1000 / percentile(loaded, 0.5),
        baseline: 'honest reply, idle',
        ratio: percentile(idle, 0.5) / percentile(loaded, 0.5),
        note:
          `p50 ${percentile(loaded, 0.5).toFixed(1)} ms, p99 ${p99Flood.toFixed(1)} ms; p99 flood/idle ×${(p99Flood / p99Idle).toFixed(2)} ` +
          `(goal ≤ 3); flood ${f.accepted} junk events accepted by the relay at ${Math.round(f.perSecond)}/s`,
      },
    ];
  } finally {
    pool.close();
    daemon.child.kill('SIGTERM');
    await new Promise((r) => daemon.child.once('exit', r));
    rmSync(daemon.dir, { recursive: true, force: true });
  }
}
