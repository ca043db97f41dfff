// last-trade-index (protocol.md §2.5): the identity's stored index, so a restored client never
// reuses a trade key.
import { getUser } from '../db/users.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { reply } from './messages.ts';
import type { Request } from './request.ts';

export async function lastTradeIndex(ctx: AppContext, request: Request): Promise<void> {
  const user = getUser(ctx.db, request.identity);
  if (!user) throw new CantDo('not_found');
  if (user.last_trade_index === 0) throw new CantDo('invalid_trade_index');
  await reply(ctx, request, 'last-trade-index', { trade_index: user.last_trade_index });
}
