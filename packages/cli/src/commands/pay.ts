import type { TradeRecord } from '@mostro/client';
import { flag, orderId, parseArgs, positionals, resolveId } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { globals, UsageError } from '../lib/globals.ts';
import { emit, emitLine, guard } from '../lib/output.ts';
import { qrText } from '../lib/qr.ts';

export const summary =
  'seller: show the hold invoice to pay (text and QR code); --wait follows until the escrow is locked';
export const usesGlobals = true;
const USAGE = 'mostro pay <order-id> [--bond] [--wait] [--no-qr]';

export function run(argv: string[]): Promise<number> {
  return guard('pay', async () => {
    const p = parseArgs(
      'pay',
      argv,
      { bond: { type: 'boolean' }, wait: { type: 'boolean' }, 'no-qr': { type: 'boolean' } },
      USAGE,
    );
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    const [raw] = positionals(p, ['order-id'], USAGE);
    orderId(raw as string);
    await withClient(async ({ client }) => {
      const id = resolveId(
        raw as string,
        client.trades().map((t) => t.orderId),
      );
      let t: TradeRecord = client.trade(id);
      const pick = (x: TradeRecord) => (flag(p, 'bond') ? x.bondInvoice : x.holdInvoice);
      if (!pick(t)) {
        await client.sync();
        t = client.trade(id);
      }
      const invoice = pick(t);
      if (!invoice) {
        throw new UsageError(
          `no ${flag(p, 'bond') ? 'bond' : 'hold'} invoice to pay for ${id} (status ${t.status})`,
          t.side === 'buyer'
            ? `as the buyer you send an invoice instead: mostro invoice ${id} <bolt11>`
            : 'wait until the order is taken and the buyer sent an invoice (mostro watch)',
        );
      }
      const code = globals().json || flag(p, 'no-qr') ? null : qrText(invoice);
      const bond = flag(p, 'bond');
      const sats = bond ? (t.bond?.amountSats ?? null) : t.amountSats;
      emit({ orderId: id, invoice, amountSats: sats, deadline: t.deadline }, () => [
        bond
          ? `pay this bond invoice (${sats ?? '?'} sats) from your wallet; it is given back when the trade ends, and forfeited only by a solver's decision or a timeout:`
          : `pay this hold invoice (${sats ?? '?'} sats) from your wallet; the sats stay frozen until you release or the trade is canceled:`,
        '',
        invoice,
        ...(code ? ['', code] : []),
        t.deadline ? `pay before ${new Date(t.deadline.at * 1000).toISOString()}` : '',
      ]);
      if (flag(p, 'wait')) {
        // Only what happens from now on: messages from before (the order's publication, the take
        // with the taker's reputation) are history, and replaying them would report them anew.
        const since = Math.floor(Date.now() / 1000) - 2;
        await new Promise<void>((resolve) => {
          let sub: { close(): void } | null = null;
          const stop = () => {
            sub?.close();
            resolve();
          };
          void client
            .watch(
              (trade, step) => {
                if (trade.orderId !== id) return;
                emitLine(
                  { event: 'step', orderId: id, action: trade.lastAction, status: trade.status, summary: step.summary },
                  step.summary,
                );
                if (trade.status !== 'waiting-payment') stop();
              },
              { since },
            )
            .then((s) => {
              sub = s;
              if (client.trade(id).status !== 'waiting-payment') stop();
            });
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }
    });
  });
}
