import { flag, int, orderId, parseArgs, positionals, resolveId, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { tradeDetail, tradeJson } from '../lib/show.ts';

export const summary = 'take an order from the book (a sell order: you buy; a buy order: you sell)';
export const usesGlobals = true;
const USAGE = 'mostro take <order-id> [--amount <fiat, for range orders>] [--invoice <bolt11|ln-address>, when buying]';

export function run(argv: string[]): Promise<number> {
  return guard('take', async () => {
    const p = parseArgs(
      'take',
      argv,
      { amount: { type: 'string', short: 'a' }, invoice: { type: 'string', short: 'i' } },
      USAGE,
    );
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    const [raw] = positionals(p, ['order-id'], USAGE);
    orderId(raw as string);
    const amount = str(p, 'amount') !== undefined ? int(str(p, 'amount'), '--amount') : undefined;
    const invoice = str(p, 'invoice');
    await withClient(async ({ client }) => {
      const book = await client.orderEvents(0);
      const id = resolveId(
        raw as string,
        book.map((e) => e.id),
      );
      const entry = book.filter((e) => e.id === id).sort((a, b) => b.createdAt - a.createdAt)[0];
      if (!entry)
        throw new UsageError(`order ${id} is not in this node's order book`, 'check the id with `mostro orders`');
      if (entry.status !== 'pending') {
        throw new UsageError(
          `order ${id} is ${entry.status}, not pending`,
          'pick a pending order from `mostro orders`',
        );
      }
      const range = entry.fiatAmount.length === 2;
      if (range && amount === undefined) {
        throw new UsageError(
          `order ${id} is a range order (${entry.fiatAmount.join('-')} ${entry.fiatCode})`,
          'say how much with --amount <fiat>',
        );
      }
      if (invoice !== undefined && entry.kind !== 'sell') {
        throw new UsageError(
          '--invoice is for taking a sell order (you are the buyer)',
          'drop --invoice: taking a buy order means you pay a hold invoice',
        );
      }
      const trade = await client.takeOrder(id, {
        kind: entry.kind,
        ...(amount !== undefined ? { fiatAmount: amount } : {}),
        ...(invoice !== undefined ? { invoice } : {}),
      });
      emit(tradeJson(trade), () => ['order taken', ...tradeDetail(trade)]);
    });
  });
}
