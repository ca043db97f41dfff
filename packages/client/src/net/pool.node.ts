// Node entry for relays: the SDK's resilient pool over the `ws` WebSocket class.
import { ClientError } from '../errors.ts';
import { nodeRelayPool as resilientNodePool } from '../relay/node.ts';
import { fromResilientPool, type RelayPool } from './pool.ts';

export function nodeRelayPool(relays: string[], options: { connectTimeoutMs?: number } = {}): RelayPool {
  if (relays.length === 0) {
    throw new ClientError(
      'no_relays',
      'no relay to connect to',
      'pass --relay ws://… (repeatable) or set MOSTRO_RELAYS',
    );
  }
  return fromResilientPool(resilientNodePool({ relays, connectTimeoutMs: options.connectTimeoutMs ?? 5000 }));
}
