// Whether this node offers reputation export / import (reference-0.20.md §4.4): the intake answers
// a malformed request with invalid_payload when offered and invalid_action when not.
import type { Settings } from '../config/index.ts';
import type { IssuerKey } from './issuer.ts';

interface Offer {
  settings: Pick<Settings, 'reputation_export' | 'reputation_import'>;
  reputationIssuer?: IssuerKey | null;
}

/** Export needs its setting and its key loaded. */
export const reputationExportOffered = (ctx: Offer): boolean =>
  ctx.settings.reputation_export.enabled && Boolean(ctx.reputationIssuer);

export const reputationImportOffered = (ctx: Offer): boolean => ctx.settings.reputation_import.enabled;
