import { flag, int, parseArgs, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard, plural, table } from '../lib/output.ts';
import { tradeJson, tradeLine } from '../lib/show.ts';

export const summary = 'rebuild my open trades from the node (after `mostro import` of the mnemonic) and resume them';
export const usesGlobals = true;
const USAGE =
  'mostro restore [--scan N]   (--private sessions: N trade keys in a row without trades end the scan, default 10)';

export function run(argv: string[]): Promise<number> {
  return guard('restore', async () => {
    const p = parseArgs('restore', argv, { scan: { type: 'string' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    const scan = str(p, 'scan') !== undefined ? int(str(p, 'scan'), '--scan', { max: 1000 }) : undefined;
    await withClient(async ({ client }) => {
      const private_ = client.privacy === 'full-private';
      const r = await client.restore(scan !== undefined ? { scan } : {});
      emit({ lastTradeIndex: r.lastTradeIndex, trades: r.trades.map(tradeJson), disputes: r.disputes }, () => [
        r.trades.length === 0
          ? `nothing to restore: the node knows no open trade of this ${private_ ? 'mnemonic in full private mode' : 'identity'} (next trade index ${r.lastTradeIndex + 1})`
          : `restored ${plural(r.trades.length, 'open trade')}; next trade index ${r.lastTradeIndex + 1}`,
        ...(r.trades.length > 0
          ? table([['ORDER', 'ROLE', 'STATUS', 'AMOUNT', 'DEADLINE', 'NEXT'], ...r.trades.map(tradeLine)])
          : []),
        // Both modes derive keys from the same mnemonic; a session in the wrong one finds nothing.
        ...(r.trades.length === 0
          ? [
              private_
                ? 'if this mnemonic traded in reputation mode: `mostro import --force` (without --private), then `mostro restore`'
                : 'if this mnemonic traded in full private mode: `mostro import --force --private`, then `mostro restore`',
            ]
          : []),
      ]);
    });
  });
}
