// One crypto worker of the intake (crypto-pool.ts): the node key arrives once, in workerData, and
// never leaves this thread; events come in, verdicts (examine.ts) go back, tagged with the job id,
// a batch of jobs per message each way.
import { parentPort, workerData } from 'node:worker_threads';
import { ConversationKeyCache, wasmSecp } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { examineEvent } from './examine.ts';

export interface CryptoWorkerData {
  nodeSecretKey: Uint8Array;
  nodePubkey: string;
}

const { nodeSecretKey, nodePubkey } = workerData as CryptoWorkerData;
const options = { nodeSecretKey, nodePubkey, secp: wasmSecp, convKeyCache: new ConversationKeyCache(4096) };

parentPort?.on('message', ({ jobs }: { jobs: { id: number; event: NostrEvent }[] }) => {
  parentPort?.postMessage({ results: jobs.map(({ id, event }) => ({ id, examined: examineEvent(options, event) })) });
});
parentPort?.postMessage({ ready: true });
