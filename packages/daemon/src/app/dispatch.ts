// Dispatch by action only (protocol.md §1.7 step 10): one handler file per action, named after it.
// A CantDo becomes a `cant-do` reply; a SilentDrop and any other error get no reply (the latter is
// logged as internal, as the reference does).
import type { Action } from '@mostro/protocol';
import { activityLine } from './activity-log.ts';
import type { AppContext, Handler } from './context.ts';
import { CantDo, SilentDrop } from './errors.ts';
import { replyCantDo } from './messages.ts';
import type { Request } from './request.ts';

export type HandlerTable = Partial<Record<Action, Handler>>;

export type DispatchOutcome = 'handled' | 'cant-do' | 'ignored' | 'silent' | 'internal-error';

export async function dispatch(ctx: AppContext, handlers: HandlerTable, request: Request): Promise<DispatchOutcome> {
  const action = request.message.action;
  const handler = handlers[action];
  if (!handler) {
    if (action === 'pay-invoice') {
      await replyCantDo(ctx, request, 'invalid_action');
      return 'cant-do';
    }
    return 'ignored';
  }
  try {
    const created = await handler(ctx, request);
    ctx.log.info(activityLine(ctx, request, created ?? undefined));
    return 'handled';
  } catch (error) {
    if (error instanceof CantDo) {
      ctx.log.debug(`${action}: cant-do ${error.reason} (${error.message})`);
      await replyCantDo(ctx, request, error.reason);
      return 'cant-do';
    }
    if (error instanceof SilentDrop) {
      ctx.log.debug(`${action}: dropped (${error.why})`);
      return 'silent';
    }
    ctx.log.error(`${action}: internal error`, error);
    return 'internal-error';
  }
}
