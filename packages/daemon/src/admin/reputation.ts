// The reputation RPCs of the admin service (reference-0.20.md §4.4, §6): revoking the imports of a
// compromised issuer key and moving an export binding, by the operator. They run between two
// handled relay messages, as every admin operation; the functions are reputation/operator.ts.
import type { AppContext } from '../app/context.ts';
import { reputationExportOffered, reputationImportOffered } from '../reputation/offered.ts';
import { rebindReputationExport, revokeReputationImports } from '../reputation/operator.ts';

export interface RevokeOutcome {
  success: boolean;
  error_message?: string;
  revoked: number;
}

export interface RebindOutcome {
  success: boolean;
  error_message?: string;
  previous_identity?: string;
}

export function createReputationAdmin(ctx: AppContext, exclusive: <T>(work: () => Promise<T>) => Promise<T>) {
  const deps = {
    db: ctx.db,
    clock: ctx.clock,
    // The corrected aggregate shows at once under the trade key that imported.
    publishRating: (d: string, user: Parameters<AppContext['publish']['rating']>[1]) => ctx.publish.rating(d, user),
    log: ctx.log,
  };
  return {
    importOffered: () => reputationImportOffered(ctx),
    exportOffered: () => reputationExportOffered(ctx),
    revoke(req: { issuer_key: string; imported_after: number | null; reason: string | null }): Promise<RevokeOutcome> {
      return exclusive(async () => {
        const r = await revokeReputationImports(deps, req.issuer_key, req.imported_after, req.reason);
        return r.ok
          ? { success: true, revoked: r.value.revoked }
          : { success: false, error_message: r.error, revoked: 0 };
      });
    },
    rebind(req: { identity: string; new_identity: string; reason: string }): Promise<RebindOutcome> {
      return exclusive(async () => {
        const r = rebindReputationExport(deps, req.identity, req.new_identity, req.reason);
        if (!r.ok) return { success: false, error_message: r.error };
        return { success: true, ...(r.value.previousIdentity ? { previous_identity: r.value.previousIdentity } : {}) };
      });
    },
  };
}
