// The shape shared by the one-shot trade commands (fiat-sent, release, cancel, dispute): one order
// id, one request, the trade as it stands afterwards.
import type { MostroClient, TradeRecord } from '@mostro/client';
import { flag, orderId, parseArgs, positionals, resolveId } from './args.ts';
import { withClient } from './context.ts';
import { emit, guard } from './output.ts';
import { tradeDetail, tradeJson } from './show.ts';

export function tradeCommand(
  name: string,
  summary: string,
  act: (client: MostroClient, id: string) => Promise<TradeRecord>,
  done: (t: TradeRecord) => string,
) {
  const usage = `mostro ${name} <order-id>`;
  return (argv: string[]): Promise<number> =>
    guard(name, async () => {
      const p = parseArgs(name, argv, {}, usage);
      if (flag(p, 'help')) return void console.log(`usage: ${usage}\n${summary}`);
      const [raw] = positionals(p, ['order-id'], usage);
      orderId(raw as string);
      await withClient(async ({ client }) => {
        const id = resolveId(
          raw as string,
          client.trades().map((t) => t.orderId),
        );
        client.trade(id); // a clear error before anything is sent
        const trade = await act(client, id);
        emit(tradeJson(trade), () => [done(trade), ...tradeDetail(trade)]);
      });
    });
}
