// The embedded relay on its own thread. A relay verifies, stores and matches every event (the
// node's requests, replies and order revisions): on the node's thread that work competes with the
// intake, on a worker thread it uses the machine's other core. Same options, same interface.
import { Worker } from 'node:worker_threads';
import type { EmbeddedRelay, EmbeddedRelayOptions } from './embedded-relay.ts';

type ThreadOptions = Omit<EmbeddedRelayOptions, 'logger' | 'schnorrVerify'>;

type FromWorker =
  | { type: 'started'; url: string; port: number }
  | { type: 'failed'; error: string }
  | { type: 'purged'; count: number }
  | { type: 'closed' };

export async function startEmbeddedRelayThread(options: ThreadOptions = {}): Promise<EmbeddedRelay> {
  const worker = new Worker(new URL('./relay-thread-entry.mjs', import.meta.url), { workerData: options });
  const next = () =>
    new Promise<FromWorker>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        worker.off('error', onError);
        resolve(m);
      };
      const onError = (e: Error) => {
        worker.off('message', onMessage);
        reject(e);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });

  const first = await next();
  if (first.type !== 'started') {
    await worker.terminate();
    throw new Error(first.type === 'failed' ? first.error : `relay thread: unexpected ${first.type}`);
  }
  let closing: Promise<void> | undefined;
  return {
    url: first.url,
    port: first.port,
    purgeExpired() {
      // Purging happens on the relay's own timer; a synchronous count is not available across threads.
      worker.postMessage({ type: 'purge' });
      return 0;
    },
    updatePriorityAuthors(change) {
      worker.postMessage({ type: 'priority-authors', change });
    },
    close() {
      closing ??= (async () => {
        const closed = next().catch(() => undefined);
        worker.postMessage({ type: 'close' });
        await closed;
        await worker.terminate();
      })();
      return closing;
    },
  };
}
