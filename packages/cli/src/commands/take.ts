import type { OrderBookEntry } from '@mostro/client';
import type { SmallOrder } from '@mostro/protocol';
import { flag, int, orderId, parseArgs, positionals, resolveId, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { tradeDetail, tradeJson } from '../lib/show.ts';

export const summary = 'take an order from the book (a sell order: you buy; a buy order: you sell)';
export const usesGlobals = true;
const USAGE = 'mostro take <order-id> [--amount <fiat, for range orders>] [--invoice <bolt11|ln-address>, when buying]';

/** The order as its public event (38383) states it, in the shape the node's messages use. */
function orderFromBook(e: OrderBookEntry, fiat: number | undefined): SmallOrder {
  const range = e.fiatAmount.length === 2;
  return {
    id: e.id,
    kind: e.kind,
    status: 'waiting-payment',
    amount: e.amount,
    fiat_code: e.fiatCode,
    min_amount: range ? e.fiatAmount[0] : null,
    max_amount: range ? (e.fiatAmount[1] as number) : null,
    fiat_amount: fiat ?? (range ? 0 : e.fiatAmount[0]),
    payment_method: e.paymentMethods.join(','),
    premium: e.premium,
    created_at: e.createdAt,
    expires_at: e.expiresAt ?? null,
  };
}

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
    await withClient(async ({ client, session }) => {
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
      // A buyer who takes with an invoice hears nothing about the order until the escrow is locked
      // (the node's waiting-seller-to-pay carries no order): keep what the node published of it.
      if (!trade.order) {
        await session.update((d) => {
          const t = d.trades[id];
          if (t && !t.order) t.order = orderFromBook(entry, amount);
        });
      }
      const shown = client.trade(id);
      emit(tradeJson(shown), () => ['order taken', ...tradeDetail(shown)]);
    });
  });
}
