// Browser entry: the pool over the page's native WebSocket.
import { RelayPool, type RelayPoolOptions, type WebSocketImplementation } from './pool.ts';

/** The pool over `globalThis.WebSocket`; options as for `RelayPool` (without `WebSocket`). */
export function browserRelayPool(options: Omit<RelayPoolOptions, 'WebSocket'>): RelayPool {
  const NativeWebSocket = (globalThis as { WebSocket?: WebSocketImplementation }).WebSocket;
  if (!NativeWebSocket) throw new TypeError('browserRelayPool: this environment has no WebSocket');
  return new RelayPool({ ...options, WebSocket: NativeWebSocket });
}
