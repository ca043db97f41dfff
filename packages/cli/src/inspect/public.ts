// `mostro inspect` for the events a Mostro node publishes in the clear: no key needed. Each kind is
// read with the protocol package's own parser, and the signature is checked.
import {
  type NostrEvent,
  parseDevFeeEvent,
  parseDisputeEvent,
  parseHealthEvent,
  parseInfoEvent,
  parseOrderEvent,
  parseProfileEvent,
  parseRatesEvent,
  parseRatingEvent,
  parseRelayListEvent,
  protocolResult,
  readReputationAttestation,
  verifyEventSignature,
} from '@mostro/protocol';

const PUBLIC_KINDS: Record<number, { name: string; parse: (e: NostrEvent) => unknown }> = {
  0: { name: 'node profile (kind 0)', parse: parseProfileEvent },
  8383: { name: 'dev-fee audit (kind 8383)', parse: parseDevFeeEvent },
  10002: { name: 'relay list (kind 10002)', parse: parseRelayListEvent },
  30078: { name: 'exchange rates (kind 30078)', parse: parseRatesEvent },
  38383: { name: 'order (kind 38383)', parse: parseOrderEvent },
  38384: { name: 'rating (kind 38384)', parse: parseRatingEvent },
  38385: { name: 'node info (kind 38385)', parse: parseInfoEvent },
  38386: { name: 'dispute (kind 38386)', parse: parseDisputeEvent },
  38388: {
    name: 'reputation attestation (kind 38388, never published; carried in import-reputation)',
    parse: (e) => {
      // The widest lifetime any importer accepts (30 days); the clock is now.
      const v = readReputationAttestation(JSON.stringify(e), {
        now: Math.floor(Date.now() / 1000),
        maxLifetimeSeconds: 2_592_000,
      });
      if (!v.ok) return { valid: false, reason: v.reason, detail: v.detail };
      const { event: _event, ...rest } = v.attestation;
      return { valid: true, ...rest, rating: (rest.ratingHundredths / 100).toFixed(2) };
    },
  },
  38389: { name: 'node health (kind 38389)', parse: parseHealthEvent },
};

export const isPublicKind = (kind: number): boolean => kind in PUBLIC_KINDS;

export interface PublicReport {
  kind: number;
  name: string;
  signature: 'valid' | 'invalid';
  ok: boolean;
  data?: unknown;
  error?: string;
}

export function inspectPublicEvent(event: NostrEvent): PublicReport {
  const entry = PUBLIC_KINDS[event.kind];
  if (!entry) throw new Error(`kind ${event.kind} is not a public Mostro event`);
  const signature = verifyEventSignature(event) ? 'valid' : 'invalid';
  const parsed = protocolResult(() => entry.parse(event));
  const report: PublicReport = {
    kind: event.kind,
    name: entry.name,
    signature,
    ok: signature === 'valid' && parsed.ok,
  };
  if (parsed.ok) report.data = parsed.value;
  else report.error = `${parsed.error.path || 'event'}: ${parsed.error.message}`;
  return report;
}
