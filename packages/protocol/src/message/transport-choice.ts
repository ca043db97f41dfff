// Transport names and how a client picks one from a node's advertised protocol_version (§1.1).
import { TRANSPORTS, type Transport } from './enums.ts';
import { ProtocolError } from './errors.ts';

/** mostro-core `Transport` serde names: only `gift-wrap` and `nip44` (`dual`, anything else: error). */
export function parseTransport(value: unknown): Transport {
  if (typeof value === 'string' && (TRANSPORTS as readonly string[]).includes(value)) return value as Transport;
  throw new ProtocolError('unknown_variant', '', `unknown transport ${JSON.stringify(value)}`);
}

/** protocol_version 2 ⇒ nip44 (kind 14); 1, absent or anything else ⇒ gift-wrap (kind 1059), like mobile and CLI. */
export function transportForProtocolVersion(version: number | null | undefined): Transport {
  return version === 2 ? 'nip44' : 'gift-wrap';
}
