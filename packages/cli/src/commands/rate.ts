import { flag, int, orderId, parseArgs, positionals, resolveId } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { emit, guard } from '../lib/output.ts';

export const summary = 'rate your counterparty after a trade (1 to 5)';
export const usesGlobals = true;
const USAGE = 'mostro rate <order-id> <1-5>';

export function run(argv: string[]): Promise<number> {
  return guard('rate', async () => {
    const p = parseArgs('rate', argv, {}, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    const [rawId, rawRating] = positionals(p, ['order-id', 'rating'], USAGE);
    orderId(rawId as string);
    const rating = int(rawRating, 'rating', { min: 1, max: 5 });
    await withClient(async ({ client }) => {
      const id = resolveId(
        rawId as string,
        client.trades().map((t) => t.orderId),
      );
      client.trade(id);
      const { trade, acknowledged } = await client.rate(id, rating);
      emit({ orderId: trade.orderId, rating, acknowledged }, () =>
        acknowledged
          ? `rated ${rating}/5`
          : `rating ${rating}/5 sent; the node did not acknowledge it (a full-private counterparty cannot be rated)`,
      );
    });
  });
}
