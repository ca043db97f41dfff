// export-reputation (reference-0.20.md §4.4): an identity asks this node, as issuer, for a signed
// kind-38388 attestation of its native reputation addressed to another identity (its destination).
// Refusals in the spec's order: not offered → payload → identity proof → destination → eligibility
// → binding. The reply carries the attestation JSON, request_id echoed, no id.

import { exportReputation } from '../reputation/issuer.ts';
import { reputationExportOffered } from '../reputation/offered.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export async function exportReputationHandler(ctx: AppContext, request: Request): Promise<void> {
  const issuer = ctx.reputationIssuer;
  if (!reputationExportOffered(ctx) || !issuer) throw new CantDo('invalid_action', 'reputation export is off');
  const payload = request.message.payload;
  if (payload === null || !('reputation_export_request' in payload)) throw new CantDo('invalid_payload');
  if (request.fullPrivacy || request.identity === request.sender) throw new CantDo('reputation_identity_required');
  const { destination, rebind } = payload.reputation_export_request;
  const result = exportReputation(ctx.db, {
    identity: request.identity,
    destination,
    rebind: rebind ?? null,
    issuer,
    now: ctx.clock.now(),
    lifetimeSeconds: ctx.settings.reputation_export.lifetime_seconds,
  });
  if (!result.ok) throw new CantDo(result.reason, result.detail);
  ctx.log.info(`reputation: exported to ${destination.slice(0, 8)} (attestation ${result.attestation.id.slice(0, 8)})`);
  await reply(ctx, request, 'reputation-exported', {
    payload: { reputation_attestation: JSON.stringify(result.attestation) },
  });
}
