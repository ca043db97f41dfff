// user-info (reference-0.20.md §4.3): a user asks for its own reputation. Only a reputation-mode
// identity has one, so a message without an identity proof (identity = trade key) is refused with
// `reputation_identity_required`. The reply goes in the restore wrapper to the asking trade key,
// request_id echoed, no id; an identity the node does not know gets zeros rather than `not_found`.
import { reputationOf } from '../publish/reputation.ts';
import type { AppContext } from './context.ts';
import { CantDo, SilentDrop } from './errors.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export async function userInfo(ctx: AppContext, request: Request): Promise<void> {
  // A payload means a reply shape sent to us: the reference drops it.
  if (request.message.payload !== null) throw new SilentDrop('user-info with a payload');
  if (request.wrapper !== 'restore') throw new SilentDrop('user-info outside the restore wrapper');
  if (request.fullPrivacy || request.identity === request.sender) throw new CantDo('reputation_identity_required');
  await reply(ctx, request, 'user-info', {
    payload: { user_info: reputationOf(ctx.db, request.identity, ctx.clock.now()) },
  });
}
