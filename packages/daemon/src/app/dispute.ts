// dispute (protocol.md §7.1): either party of an active or fiat-sent trade asks for a solver. The
// order moves to `dispute` (its public 38383 revision already says `in-progress`), a dispute row
// remembers the status it came from, both parties are told and a 38386 event is published.
import { randomUUID } from 'node:crypto';
import { getDisputeByOrder, insertDispute } from '../db/disputes.ts';
import { transaction } from '../db/open.ts';
import { setOrder } from '../orders/update.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import { notify, otherRole, reply, roleOf } from './messages.ts';
import { requireOrder } from './order-lookup.ts';
import type { Request } from './request.ts';

const DISPUTABLE = ['active', 'fiat-sent'] as const;

export async function dispute(ctx: AppContext, request: Request): Promise<void> {
  const order = requireOrder(ctx, request);
  // A disputed order (a second dispute) is no longer active or fiat-sent: the reference's status
  // reason. The reference checks the dispute row first and answers nothing (an internal
  // DisputeAlreadyExists); a user deserves the answer it would give without that check.
  if (!(DISPUTABLE as readonly string[]).includes(order.status)) throw new CantDo('not_allowed_by_status');
  if (getDisputeByOrder(ctx.db, order.id)) throw new CantDo('dispute_creation_error');
  const role = roleOf(order, request.sender);
  if (!role) throw new CantDo('invalid_pubkey');

  const id = randomUUID();
  const payload = { dispute: [id, null] as [string, null] };
  // One transaction: the unique order_id and the conditional status change make a racing second
  // dispute (or a release) fail as a whole, leaving nothing half-written; the messages and the 38386
  // commit with them.
  transaction(ctx.db, () => {
    const row = insertDispute(ctx.db, {
      id,
      order_id: order.id,
      status: 'initiated',
      order_previous_status: order.status,
      initiator: role,
      created_at: ctx.clock.now(),
    });
    const disputed = setOrder(ctx, order, {
      status: 'dispute',
      ...(role === 'buyer'
        ? { buyer_dispute: true, buyer_transport: request.transport }
        : { seller_dispute: true, seller_transport: request.transport }),
    });
    void reply(ctx, request, 'dispute-initiated-by-you', { id: order.id, payload });
    void notify(ctx, disputed, otherRole(role), 'dispute-initiated-by-peer', { payload });
    void ctx.publish.dispute(row);
  });
}
