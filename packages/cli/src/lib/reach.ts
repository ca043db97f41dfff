// Can the relays be reached at all? A short WebSocket handshake to each, before a command relies on
// them: a stopped relay (or node with an embedded relay) is then reported by URL instead of as an
// empty order book, stale trades or a silent node. Remembers the last answer so a later "no reply"
// can say the relay was reachable and the node is what does not answer.
import { ClientError } from '@mostro/client';
import WebSocket from 'ws';

export interface Reach {
  url: string;
  ok: boolean;
  /** Why not, in a few words (ECONNREFUSED, a timeout, an HTTP status). */
  error?: string;
}

let lastReachable: string[] = [];

/** The relays found reachable by the last probe of this process. */
export const reachableRelays = (): readonly string[] => lastReachable;

function probe(url: string, timeoutMs: number): Promise<Reach> {
  return new Promise((resolve) => {
    let done = false;
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const finish = (r: Reach) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {}); // a late error after terminate must not crash
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ url, ok: false, error: `no answer in ${timeoutMs / 1000} s` }), timeoutMs);
    ws.once('open', () => finish({ url, ok: true }));
    ws.once('unexpected-response', (_req, res) => finish({ url, ok: false, error: `HTTP ${res.statusCode}` }));
    ws.once('error', (e: Error & { code?: string }) => finish({ url, ok: false, error: e.code ?? e.message }));
  });
}

export async function probeRelays(urls: string[], timeoutMs = 4000): Promise<Reach[]> {
  const results = await Promise.all(urls.map((u) => probe(u, timeoutMs)));
  lastReachable = results.filter((r) => r.ok).map((r) => r.url);
  return results;
}

export function unreachableError(results: Reach[]): ClientError {
  const list = results.map((r) => `${r.url} (${r.error})`).join(', ');
  return new ClientError(
    'node_unreachable', // the SDK's code for "cannot get through"; the message names the relay
    `cannot reach the relay${results.length > 1 ? 's' : ''} ${list}`,
    'is the node (or relay) running? start it with `npm start`, or check --relay / MOSTRO_RELAYS',
  );
}

/** Throws when no relay can be reached. */
export async function requireReachable(urls: string[]): Promise<void> {
  const results = await probeRelays(urls);
  if (!results.some((r) => r.ok)) throw unreachableError(results);
}
