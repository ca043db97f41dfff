// trade_index rules for new-order / take-buy / take-sell (protocol.md §2.4). The check only reads;
// the handler stores the new index once its own business checks pass.
import type { Request } from '../app/request.ts';

export type TradeIndexVerdict = 'ok' | 'invalid_trade_index' | 'trade_index_missing_signature' | 'zero_trade_index';

const CHECKED = new Set(['new-order', 'take-buy', 'take-sell']);

/** `lastTradeIndex` is the identity's stored index, or null when the identity has no user row. */
export function checkTradeIndex(request: Request, lastTradeIndex: number | null): TradeIndexVerdict {
  if (!CHECKED.has(request.message.action)) return 'ok';
  const index = request.message.trade_index ?? 0;
  if (lastTradeIndex !== null) {
    if (index < 1) return 'ok';
    if (request.tradeSignature === null) return 'trade_index_missing_signature';
    return index > lastTradeIndex ? 'ok' : 'invalid_trade_index';
  }
  if (request.fullPrivacy) return 'ok';
  return index >= 1 ? 'ok' : 'zero_trade_index';
}
