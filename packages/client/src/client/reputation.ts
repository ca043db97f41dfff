// Reputation portability (mostrod 0.20 §4.4), reputation mode only: ask a node to attest my native
// reputation for a destination identity (by default my own identity, which the same mnemonic gives
// on every node), and hand such an attestation to another node. The attestation is a signed
// kind-38388 event; it travels as its JSON text and is never published.
import { type ReputationAttestation, readReputationAttestation } from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import type { ClientCore } from './core.ts';
import { identityRequest } from './restore.ts';

const HEX64 = /^[0-9a-f]{64}$/;

export interface ExportedReputation {
  /** The attestation event as JSON text: what `importReputation` takes. */
  json: string;
  attestation: ReputationAttestation;
}

/** The widest lifetime any importer accepts (30 days): only to read what a node sent. */
const READ_LIFETIME_CAP = 2_592_000;

export async function exportReputation(
  c: ClientCore,
  opts: { destination?: string; rebind?: string | null } = {},
): Promise<ExportedReputation> {
  const destination = opts.destination ?? c.session.identity().publicKey;
  if (!HEX64.test(destination)) {
    throw new ClientError(
      'invalid_input',
      'the destination must be an identity key in lowercase hex',
      'give the 64-character hex key of the identity that will import it',
    );
  }
  const k = await identityRequest(
    c,
    'export-reputation',
    { reputation_export_request: { destination, rebind: opts.rebind ?? null } },
    'your reputation attestation',
  );
  const json = k.payload && 'reputation_attestation' in k.payload ? k.payload.reputation_attestation : null;
  if (json === null)
    throw new ClientError(
      'node_unreachable',
      'the node answered without an attestation',
      'the node may predate mostrod 0.20; try another node',
    );
  const verdict = readReputationAttestation(json, { now: c.now(), maxLifetimeSeconds: READ_LIFETIME_CAP });
  if (!verdict.ok) {
    throw new ClientError(
      'node_unreachable',
      `the node sent an attestation that does not check: ${verdict.detail}`,
      'ask the node operator; nothing was saved',
    );
  }
  if (verdict.attestation.destination !== destination) {
    throw new ClientError(
      'node_unreachable',
      'the node sent an attestation for another identity',
      'ask the node operator; nothing was saved',
    );
  }
  return { json, attestation: verdict.attestation };
}

/** Hands an attestation (its JSON text) to this node, which merges it into my reputation. */
export async function importReputation(c: ClientCore, json: string): Promise<void> {
  await identityRequest(c, 'import-reputation', { reputation_attestation: json }, 'the reputation import');
}
