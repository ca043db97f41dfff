// Node has no global WebSocket before v22: give nostr-tools the `ws` implementation.
import { useWebSocketImplementation } from 'nostr-tools/pool';
import WebSocket from 'ws';
import { type RelayPool, simplePool } from './pool.ts';

let installed = false;

export function nodeRelayPool(relays: string[], options: { eoseTimeoutMs?: number } = {}): RelayPool {
  if (!installed && typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
    useWebSocketImplementation(WebSocket);
    installed = true;
  }
  return simplePool(relays, options);
}
