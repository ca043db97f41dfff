// Stores an identity's trade index once a handler's business checks have passed (§2.4). Full-private
// senders have no user row and nothing is stored for them.
import { advanceTradeIndex } from '../db/users.ts';
import type { AppContext } from './context.ts';
import type { Request } from './request.ts';

export function recordTradeIndex(ctx: AppContext, request: Request): void {
  if (request.fullPrivacy) return;
  const index = request.message.trade_index;
  if (index === null || index < 1) return;
  advanceTradeIndex(ctx.db, request.identity, index, ctx.clock.now());
}

/** What the order stores as a party's identity: nothing for a full-private party. */
export const masterKey = (request: Request): string | null => (request.fullPrivacy ? null : request.identity);
