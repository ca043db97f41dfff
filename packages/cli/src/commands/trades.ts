import { awaitsNode } from '@mostro/client';
import { flag, parseArgs } from '../lib/args.ts';
import { connect, openSession } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard, table } from '../lib/output.ts';
import { tradeJson, tradeLine } from '../lib/show.ts';

export const summary =
  'my trades with their state, next step and deadline: open ones and ended ones with a bond share to claim (--all: every one)';
export const usesGlobals = true;
const USAGE = 'mostro trades [--all] [--offline]';

export function run(argv: string[]): Promise<number> {
  return guard('trades', async () => {
    const p = parseArgs('trades', argv, { all: { type: 'boolean' }, offline: { type: 'boolean' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    let trades: ReturnType<typeof Object.values<import('@mostro/client').TradeRecord>>;
    if (flag(p, 'offline')) {
      trades = Object.values((await openSession()).data.trades);
    } else {
      const c = await connect();
      try {
        await c.client.sync();
        trades = c.client.trades();
      } finally {
        c.close();
      }
    }
    // An ended trade with a bond share still to be claimed or paid stays listed: it has a next step.
    const shown = trades.filter((t) => flag(p, 'all') || awaitsNode(t)).sort((a, b) => b.createdAt - a.createdAt);
    emit(shown.map(tradeJson), () =>
      shown.length === 0
        ? flag(p, 'all')
          ? 'no trades yet'
          : 'no open trades (--all shows finished ones)'
        : table([['ORDER', 'ROLE', 'STATUS', 'AMOUNT', 'DEADLINE', 'NEXT'], ...shown.map(tradeLine)]),
    );
  });
}
