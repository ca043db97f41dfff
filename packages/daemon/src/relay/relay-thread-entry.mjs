// Worker-thread entry of the embedded relay (see relay-thread.ts). TypeScript runs through tsx here
// too, since workers do not inherit the main thread's loader.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { startEmbeddedRelay } = await import('./embedded-relay.ts');
try {
  const relay = await startEmbeddedRelay(workerData);
  parentPort.on('message', async (message) => {
    if (message.type === 'purge') parentPort.postMessage({ type: 'purged', count: relay.purgeExpired() });
    if (message.type === 'priority-authors') relay.updatePriorityAuthors(message.change);
    if (message.type === 'close') {
      await relay.close();
      parentPort.postMessage({ type: 'closed' });
    }
  });
  parentPort.postMessage({ type: 'started', url: relay.url, port: relay.port });
} catch (error) {
  parentPort.postMessage({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
}
