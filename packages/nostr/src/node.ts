// Node entry: the `ws` WebSocket class made safe for the pool. `ws` emits an 'error' event when a
// socket is closed while still connecting (a connect timeout does exactly that), and an 'error'
// event without a listener is an uncaught exception in Node. Browsers only report such errors.
import WebSocket from 'ws';
import { RelayPool, type RelayPoolOptions, type WebSocketImplementation } from './pool.ts';

export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}

/** The pool over Node's `ws`; options as for `RelayPool` (without `WebSocket`). */
export function nodeRelayPool(options: Omit<RelayPoolOptions, 'WebSocket'>): RelayPool {
  return new RelayPool({ ...options, WebSocket: NodeWebSocket as unknown as WebSocketImplementation });
}
