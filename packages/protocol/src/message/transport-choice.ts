// Transport names and how a client picks one from a node's advertised protocol_version (§1.1).
import { TRANSPORTS, type Transport } from './enums.ts';
import { ProtocolError } from './errors.ts';

/** mostro-core `Transport` serde names: only `gift-wrap` and `nip44` (`dual`, anything else: error). */
export function parseTransport(value: unknown): Transport {
  if (typeof value === 'string' && (TRANSPORTS as readonly string[]).includes(value)) return value as Transport;
  throw new ProtocolError('unknown_variant', '', `unknown transport ${JSON.stringify(value)}`);
}

/** mostro-core 0.17's `Transport::default()`: kind 14. */
export const DEFAULT_TRANSPORT: Transport = 'nip44';

/**
 * protocol_version 1 ⇒ gift-wrap (kind 1059, which we still speak); 2, absent or anything else ⇒
 * nip44 (kind 14), as mostro-core 0.17 / mostro-cli 0.16 assume.
 */
export function transportForProtocolVersion(version: number | null | undefined): Transport {
  return version === 1 ? 'gift-wrap' : DEFAULT_TRANSPORT;
}
