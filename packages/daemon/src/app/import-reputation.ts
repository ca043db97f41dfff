// import-reputation (reference-0.20.md §4.4): an identity hands this node an attestation another
// issuer signed for it. Checked, recorded and merged (reputation/importer.ts); the answer is
// `reputation-imported` (payload null), then the identity's 38384 under the importing trade key
// shows the merged figures (queued like every rating event).
import { transaction } from '../db/open.ts';
import { queueRating } from '../publish/rating.ts';
import { importReputation } from '../reputation/importer.ts';
import { reputationImportOffered } from '../reputation/offered.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export async function importReputationHandler(ctx: AppContext, request: Request): Promise<void> {
  if (!reputationImportOffered(ctx)) throw new CantDo('invalid_action', 'reputation import is off');
  const payload = request.message.payload;
  if (payload === null || !('reputation_attestation' in payload)) throw new CantDo('invalid_payload');
  if (request.fullPrivacy || request.identity === request.sender) throw new CantDo('reputation_identity_required');
  const now = ctx.clock.now();
  // The import, its rating event and the answer commit together.
  const result = transaction(ctx.db, () => {
    const r = importReputation(ctx.db, ctx.settings.reputation_import, {
      json: payload.reputation_attestation,
      identity: request.identity,
      tradePubkey: request.sender,
      now,
      ownIssuerKey: ctx.reputationIssuer?.pubkey ?? null,
    });
    if (!r.ok) return r;
    queueRating(ctx.db, { d: request.sender, rated: request.identity }, now);
    void reply(ctx, request, 'reputation-imported', { payload: null });
    return r;
  });
  if (!result.ok) throw new CantDo(result.reason, result.detail);
  if (!result.replay) {
    ctx.log.info(
      `reputation: imported ${result.attestation.reviews} ratings from "${result.issuer}" (attestation ${result.attestation.id.slice(0, 8)})`,
    );
  }
}
