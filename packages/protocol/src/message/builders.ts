// Small constructors for messages, with the defaults of mostro-core's MessageKind::new.
import type { Action, Wrapper } from './enums.ts';
import { ProtocolError } from './errors.ts';
import type { Message, Payload } from './types.ts';

/** mostro-core PROTOCOL_VER: `version` stamped by MessageKind::new (1 = gift-wrap nodes, 2 = kind 14). */
export const PROTOCOL_VERSION = 2;

export interface NewMessageFields {
  action: Action;
  id?: string;
  /** u64; a number is accepted when it is a non-negative safe integer. */
  request_id?: bigint | number | null;
  trade_index?: number | null;
  payload?: Payload | null;
  version?: number;
}

export function newMessage(wrapper: Wrapper, fields: NewMessageFields): Message {
  let requestId: bigint | null = null;
  if (typeof fields.request_id === 'bigint') requestId = fields.request_id;
  else if (typeof fields.request_id === 'number') {
    if (!Number.isSafeInteger(fields.request_id) || fields.request_id < 0) {
      throw new ProtocolError('invalid_value', 'request_id', 'expected a non-negative safe integer or a bigint');
    }
    requestId = BigInt(fields.request_id);
  }
  const kind: Message['kind'] = {
    version: fields.version ?? PROTOCOL_VERSION,
    request_id: requestId,
    trade_index: fields.trade_index ?? null,
    action: fields.action,
    payload: fields.payload ?? null,
  };
  if (fields.id !== undefined) kind.id = fields.id;
  return { wrapper, kind };
}

/**
 * The wrapper existing clients use for an action (§4.1). mostrod dispatches on `action` only, so
 * this is about matching other clients. `admin-took-dispute` goes in `dispute` to the solver (payload
 * `dispute`) and in `order` to the parties (payload `peer`); admin settle/cancel follow the docs
 * (`order`) although mostro-cli sends `dispute`.
 */
export function wrapperForAction(action: Action, payload?: Payload | null): Wrapper {
  switch (action) {
    case 'cant-do':
      return 'cant-do';
    case 'restore-session':
    case 'last-trade-index':
    case 'user-info':
      return 'restore';
    case 'send-dm':
      return 'dm';
    case 'admin-take-dispute':
    case 'admin-add-solver':
      return 'dispute';
    case 'admin-took-dispute':
      return payload && 'peer' in payload ? 'order' : 'dispute';
    default:
      return 'order';
  }
}
