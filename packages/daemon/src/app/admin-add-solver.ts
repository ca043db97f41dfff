// admin-add-solver (protocol.md §7.2): the node operator, sending from the node key itself, makes a
// key a solver: `npub…` or `npub…:read-write` / `:write` (may settle and cancel), `npub…:read` (may
// take disputes and read them, not decide). Anyone else gets no answer, as in the reference (an
// internal error there): a stranger learns nothing about who runs the node.

import { parsePublicKey } from '@mostro/protocol';
import { transaction } from '../db/open.ts';
import { type SolverPermission, setSolver } from '../db/users.ts';
import type { AppContext } from './context.ts';
import { CantDo, SilentDrop } from './errors.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export type SolverSpec = { pubkey: string; permission: SolverPermission };

/**
 * Parses the text payload. Reasons as the reference: empty → invalid_text_message; an unknown
 * permission or extra `:` parts → invalid_parameters; a key that is not an npub (or 64 hex) → null
 * (an internal error there, no reply).
 */
export function parseSolverSpec(text: string): SolverSpec | null {
  const raw = text.trim();
  if (raw === '') throw new CantDo('invalid_text_message');
  const [key = '', permission, ...rest] = raw.split(':').map((s) => s.trim());
  if (key === '') throw new CantDo('invalid_text_message');
  if (rest.length > 0) throw new CantDo('invalid_parameters');
  let level: SolverPermission;
  if (permission === undefined || permission === 'read-write' || permission === 'write') level = 'read-write';
  else if (permission === 'read') level = 'read';
  else throw new CantDo('invalid_parameters');
  const pubkey = parsePublicKey(key);
  return pubkey === null ? null : { pubkey, permission: level };
}

export async function adminAddSolver(ctx: AppContext, request: Request): Promise<void> {
  if (request.identity !== ctx.nodePubkey) throw new SilentDrop('admin-add-solver from a key that is not the node');
  const payload = request.message.payload;
  if (!payload || !('text_message' in payload)) throw new CantDo('invalid_text_message');
  const spec = parseSolverSpec(payload.text_message);
  if (!spec) throw new SilentDrop('admin-add-solver: not a public key');
  transaction(ctx.db, () => {
    setSolver(ctx.db, spec.pubkey, spec.permission, ctx.clock.now());
    void reply(ctx, request, 'admin-add-solver');
  });
  ctx.log.info(`solver ${spec.pubkey.slice(0, 8)} added (${spec.permission})`);
}
