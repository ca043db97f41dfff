// Which senders become "known" right after their message was handled (reference-0.20.md §2.2 step
// 12, #857): after a new-order, take-sell, take-buy or admin-take-dispute, the sender is added iff
// the database now ties its key to a live order, a bond or an open dispute, so its next message needs only
// the base PoW. A refused attempt (cant-do, silent) ties nothing and stays a first contact.
import type { Action } from '@mostro/protocol';
import type { AppContext } from '../app/context.ts';
import { tiedByBond } from '../bonds/known.ts';
import { listDisputesBySolver } from '../db/disputes.ts';
import { findOrdersByTradePubkey, TERMINAL_ORDER_STATUSES } from '../db/orders.ts';

const TYING_ACTIONS: ReadonlySet<Action> = new Set(['new-order', 'take-sell', 'take-buy', 'admin-take-dispute']);

export function knownAfterHandling(ctx: AppContext, action: Action, sender: string): boolean {
  if (!TYING_ACTIONS.has(action)) return false;
  if (action === 'admin-take-dispute') {
    return listDisputesBySolver(ctx.db, sender).some((d) => d.status === 'initiated' || d.status === 'in-progress');
  }
  const live = findOrdersByTradePubkey(ctx.db, sender).some((o) => !TERMINAL_ORDER_STATUSES.includes(o.status));
  return live || tiedByBond(ctx, sender);
}
