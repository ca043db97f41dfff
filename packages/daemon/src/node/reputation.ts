// Start-up of reputation portability: the issuer key is read from the environment variable the
// settings name (an export without it stays off, with a warning), and the node refuses to start
// when a trusted key was recorded under another issuer name (imports are keyed by that name).
import type { Logger } from '../app/context.ts';
import type { Settings } from '../config/index.ts';
import type { Db } from '../db/open.ts';
import { renamedIssuerKeys } from '../reputation/importer.ts';
import { type IssuerKey, readIssuerKey } from '../reputation/issuer.ts';
import { StartupError } from './listen.ts';

export function setupReputation(
  settings: Settings,
  db: Db,
  env: Record<string, string | undefined>,
  log: Logger,
): IssuerKey | null {
  const renamed = renamedIssuerKeys(db, settings.reputation_import);
  if (renamed.length > 0) throw new StartupError(renamed.join('; '));
  const exportSettings = settings.reputation_export;
  if (!exportSettings.enabled) return null;
  const issuer = readIssuerKey(env[exportSettings.issuer_key_env]);
  if (!issuer) {
    log.warn(`reputation export is off: ${exportSettings.issuer_key_env} holds no valid key (hex or nsec1…)`);
  }
  return issuer;
}

/** The info event's reputation tags: present exactly when the feature is on (reference-0.20.md §3.3). */
export function reputationInfo(
  settings: Settings,
  issuer: IssuerKey | null | undefined,
): { reputation_import_issuers?: string[]; reputation_issuer?: string } {
  const imports = settings.reputation_import;
  return {
    ...(imports.enabled ? { reputation_import_issuers: imports.issuers.flatMap((entry) => entry.keys) } : {}),
    ...(settings.reputation_export.enabled && issuer ? { reputation_issuer: issuer.pubkey } : {}),
  };
}
