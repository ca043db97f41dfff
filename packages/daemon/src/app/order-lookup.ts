// Loading the order a request names, with the reference's answers for a missing id or order.

import type { OrderRow } from '../db/orders.ts';
import { getOrder } from '../db/orders.ts';
import type { AppContext } from './context.ts';
import { CantDo } from './errors.ts';
import type { Request } from './request.ts';

export function requireOrder(ctx: AppContext, request: Request): OrderRow {
  const id = request.message.id;
  if (!id) throw new CantDo('invalid_parameters');
  const order = getOrder(ctx.db, id);
  if (!order) throw new CantDo('not_found');
  return order;
}
