// The intake's crypto on worker threads, so the node's per-event verification and unwrapping use
// every core while the main thread handles messages (SQLite, dispatch, the outbox). The node key is
// handed to each worker once, at start, in its workerData; afterwards only events and verdicts cross.
// A job goes to the worker with the fewest jobs waiting; a worker that dies is replaced and the jobs
// it held are examined inline, so no event is lost to a crashed thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NostrEvent } from 'nostr-tools';
import type { CryptoWorkerData } from './crypto-worker.ts';
import type { Examined } from './examine.ts';
import { dropsBeforeSignature } from './pipeline.ts';

export interface CryptoPool {
  readonly size: number;
  examine(event: NostrEvent): Promise<Examined>;
  close(): Promise<void>;
}

export interface CryptoPoolOptions extends CryptoWorkerData {
  size: number;
  /** The same examination on the calling thread: the fallback for the jobs of a worker that died. */
  inline(event: NostrEvent): Examined;
  onWorkerError?(error: Error): void;
}

interface Job {
  event: NostrEvent;
  resolve(examined: Examined): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Jobs not posted yet: sent together once per event-loop turn (one message, one wake-up each way). */
  batch: number[];
}

/**
 * The pool's verdicts for an event the pipeline will check; what the pipeline drops before the
 * signature check (structure, PoW, kind) needs no worker and never crosses to one.
 */
export function examineInPool(pool: CryptoPool, event: NostrEvent, pow: number): Promise<Examined> {
  return dropsBeforeSignature(event, pow) ? Promise.resolve({ outerValid: false }) : pool.examine(event);
}

/** `configured` workers, or (auto, when null) one per core beyond the first, at least one; 0 = inline. */
export function cryptoPoolSize(configured: number | null): number {
  if (configured !== null) return Math.max(0, Math.floor(configured));
  return Math.max(1, availableParallelism() - 1);
}

export async function startCryptoPool(options: CryptoPoolOptions): Promise<CryptoPool> {
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (): Promise<Slot> =>
    new Promise((resolve, reject) => {
      const data: CryptoWorkerData = { nodeSecretKey: options.nodeSecretKey, nodePubkey: options.nodePubkey };
      const worker = new Worker(new URL('./crypto-worker-entry.mjs', import.meta.url), { workerData: data });
      const slot: Slot = { worker, jobs: new Map(), batch: [] };
      worker.on('message', (m: { ready?: true; results?: { id: number; examined: Examined }[] }) => {
        if (m.ready) {
          // An idle worker keeps no process alive (a pool someone forgot to close); a busy one does.
          worker.unref();
          return resolve(slot);
        }
        for (const { id, examined } of m.results ?? []) {
          const job = slot.jobs.get(id);
          if (!job) continue;
          slot.jobs.delete(id);
          job.resolve(examined);
        }
        if (slot.jobs.size === 0) worker.unref();
      });
      worker.once('error', (error) => {
        options.onWorkerError?.(error);
        reject(error);
      });
      worker.once('exit', () => {
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        // Its unanswered jobs are examined here, in their order; a replacement takes new ones.
        for (const job of slot.jobs.values()) job.resolve(options.inline(job.event));
        slot.jobs.clear();
        slot.batch = [];
        if (!closed && index >= 0)
          void spawn().then(
            (s) => (closed ? s.worker.terminate() : slots.push(s)),
            () => {},
          );
      });
    });

  try {
    for (let i = 0; i < options.size; i++) slots.push(await spawn());
  } catch (error) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw error;
  }

  const post = (slot: Slot) => {
    const ids = slot.batch.filter((id) => slot.jobs.has(id));
    slot.batch = [];
    if (ids.length === 0) return;
    try {
      slot.worker.postMessage({ jobs: ids.map((id) => ({ id, event: slot.jobs.get(id)!.event })) });
    } catch {
      // Not cloneable (no JSON event is, but the intake takes anything): examined here.
      for (const id of ids) {
        const job = slot.jobs.get(id)!;
        slot.jobs.delete(id);
        job.resolve(options.inline(job.event));
      }
      if (slot.jobs.size === 0) slot.worker.unref();
    }
  };

  return {
    size: options.size,
    examine(event) {
      const slot = slots.reduce<Slot | undefined>(
        (best, s) => (!best || s.jobs.size < best.jobs.size ? s : best),
        undefined,
      );
      if (!slot || closed) return Promise.resolve(options.inline(event));
      const id = nextId++;
      return new Promise((resolve) => {
        if (slot.jobs.size === 0) slot.worker.ref();
        slot.jobs.set(id, { event, resolve });
        slot.batch.push(id);
        if (slot.batch.length === 1) setImmediate(() => post(slot));
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
