import { flag, parseArgs } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { emit, guard } from '../lib/output.ts';

export const summary = 'your own reputation as the node keeps it (reputation mode)';
export const usesGlobals = true;
const USAGE = 'mostro reputation';

const DAY = 86_400;

export function run(argv: string[]): Promise<number> {
  return guard('reputation', async () => {
    const p = parseArgs('reputation', argv, {}, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    await withClient(async ({ client }) => {
      const r = await client.reputation();
      emit(r, () => {
        const since =
          r.since === undefined ? '' : `, trading since ${new Date(r.since * 1000).toISOString().slice(0, 10)}`;
        const days = r.since === undefined ? r.operating_days : Math.floor((Date.now() / 1000 - r.since) / DAY);
        return r.reviews === 0
          ? `no ratings yet (${days} days on this node${since})`
          : `rating ${r.rating.toFixed(2)} from ${r.reviews} reviews${since}`;
      });
    });
  });
}
