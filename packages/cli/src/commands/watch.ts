import { flag, parseArgs } from '../lib/args.ts';
import { relaysFor, withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emitLine, guard, plural } from '../lib/output.ts';
import { probeRelays, unreachableError } from '../lib/reach.ts';

export const summary = 'follow my open trades and print each step as it happens (Ctrl-C to stop)';
export const usesGlobals = true;
const USAGE = 'mostro watch [--until-done]';

export function run(argv: string[]): Promise<number> {
  return guard('watch', async () => {
    const p = parseArgs('watch', argv, { 'until-done': { type: 'boolean' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    await withClient(
      async ({ client, session }) => {
        // The pool reconnects by itself; tell the person while it cannot.
        const relays = relaysFor(session, client.node);
        let lost = false;
        const health = setInterval(() => {
          void probeRelays(relays, 3000).then((results) => {
            const down = !results.some((r) => r.ok);
            if (down) process.stderr.write(`${unreachableError(results).message}; retrying (Ctrl-C to stop)\n`);
            else if (lost) process.stderr.write(`relay reachable again: ${relays.join(', ')}\n`);
            lost = down;
          });
        }, 10_000);
        await new Promise<void>((resolve) => {
          let sub: { close(): void } | null = null;
          let keys = '';
          const stop = () => {
            sub?.close();
            resolve();
          };
          const openIds = () =>
            client
              .trades()
              .filter(
                (t) =>
                  !['success', 'canceled', 'cooperatively-canceled', 'canceled-by-admin', 'expired'].includes(t.status),
              )
              .map((t) => `${t.orderId}:${t.nextTradeIndex}`)
              .join(',');
          const start = async () => {
            keys = openIds();
            const s = await client.watch(
              (t, step) => {
                emitLine(
                  {
                    event: 'step',
                    orderId: t.orderId,
                    action: t.lastAction,
                    status: t.status,
                    next: t.next,
                    summary: step.summary,
                    trade: t,
                  },
                  `${new Date().toISOString().slice(11, 19)}  ${t.orderId.slice(0, 8)}  ${t.status.padEnd(22)} ${step.summary}`,
                );
                // A range child order or a new trade changes the keys to follow.
                if (openIds() !== keys) void restart();
                if (flag(p, 'until-done') && openIds() === '') stop();
              },
              { since: Math.floor(Date.now() / 1000) - 60 },
            );
            sub = s;
          };
          const restart = async () => {
            sub?.close();
            await start();
          };
          void start().then(() => {
            emitLine(
              { event: 'watching', trades: client.trades().length },
              `watching ${plural(keys ? keys.split(',').length : 0, 'open trade')} (Ctrl-C to stop)`,
            );
            if (flag(p, 'until-done') && openIds() === '') stop();
          });
          // Expiry is only visible in the order events: look every minute.
          const expiry = setInterval(() => {
            void client.checkExpired().then((steps) => {
              for (const s of steps)
                emitLine(
                  {
                    event: 'step',
                    orderId: s.trade.orderId,
                    action: null,
                    status: s.trade.status,
                    next: s.trade.next,
                    summary: s.summary,
                    trade: s.trade,
                  },
                  `${new Date().toISOString().slice(11, 19)}  ${s.trade.orderId.slice(0, 8)}  ${s.trade.status.padEnd(22)} ${s.summary}`,
                );
            });
          }, 60_000);
          const stopAll = () => {
            clearInterval(expiry);
            clearInterval(health);
            stop();
          };
          process.once('SIGINT', stopAll);
          process.once('SIGTERM', stopAll);
        });
      },
      undefined,
      { retry: true },
    );
  });
}
