import { OrderBook, type OrderBookEntry, type OrderFilter } from '@mostro/client';
import { flag, int, type Parsed, parseArgs, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { ago, emit, emitLine, guard, plural, table } from '../lib/output.ts';
import { fiatOf } from '../lib/show.ts';

export const summary = 'the order book, with filters; --watch follows it live';
export const usesGlobals = true;
const USAGE =
  'mostro orders [--kind buy|sell] [--fiat EUR] [--status pending|in-progress|success|canceled] [--method text] [--amount N] [--min-premium N] [--max-premium N] [--min-rating R] [--min-reviews N] [--days N] [--watch]';

const STATUSES = ['pending', 'in-progress', 'success', 'canceled', 'completed-by-admin', 'expired'];

function filterFrom(p: Parsed): OrderFilter {
  const f: OrderFilter = {};
  const kind = str(p, 'kind');
  if (kind !== undefined) {
    if (kind !== 'buy' && kind !== 'sell')
      throw new UsageError(`--kind must be buy or sell, got '${kind}'`, 'use --kind buy or --kind sell');
    f.kind = kind;
  }
  const fiat = str(p, 'fiat');
  if (fiat !== undefined) {
    if (!/^[A-Za-z]{3,5}(,[A-Za-z]{3,5})*$/.test(fiat))
      throw new UsageError(`--fiat '${fiat}' is not a currency code`, 'for example --fiat EUR or --fiat USD,EUR');
    f.fiat = fiat.split(',');
  }
  const status = str(p, 'status');
  if (status !== undefined) {
    if (!STATUSES.includes(status))
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`, 'for example --status pending');
    f.status = status;
  }
  const method = str(p, 'method');
  if (method !== undefined) f.paymentMethod = method;
  if (str(p, 'amount') !== undefined) f.fiatAmount = int(str(p, 'amount'), '--amount');
  const premium = (name: string) => int(str(p, name), `--${name}`, { min: -100, max: 100 });
  if (str(p, 'min-premium') !== undefined) f.minPremium = premium('min-premium');
  if (str(p, 'max-premium') !== undefined) f.maxPremium = premium('max-premium');
  const rating = str(p, 'min-rating');
  if (rating !== undefined) {
    const r = Number(rating);
    if (!Number.isFinite(r) || r < 0 || r > 5)
      throw new UsageError(`--min-rating must be from 0 to 5, got '${rating}'`, 'for example --min-rating 4');
    f.minRating = r;
  }
  if (str(p, 'min-reviews') !== undefined) f.minReviews = int(str(p, 'min-reviews'), '--min-reviews', { min: 0 });
  return f;
}

const row = (e: OrderBookEntry) => [
  e.id,
  e.kind,
  fiatOf(e),
  e.amount > 0 ? `${e.amount} sats` : `market ${e.premium >= 0 ? '+' : ''}${e.premium}%`,
  e.paymentMethods.join(', '),
  e.rating ? `★${e.rating.totalRating.toFixed(1)} (${e.rating.totalReviews})` : '-',
  e.expiresAt ? `expires ${ago(e.expiresAt)}` : '',
];

export function run(argv: string[]): Promise<number> {
  return guard('orders', async () => {
    const p = parseArgs(
      'orders',
      argv,
      {
        kind: { type: 'string' },
        fiat: { type: 'string' },
        status: { type: 'string' },
        method: { type: 'string' },
        amount: { type: 'string' },
        'min-premium': { type: 'string' },
        'max-premium': { type: 'string' },
        'min-rating': { type: 'string' },
        'min-reviews': { type: 'string' },
        days: { type: 'string' },
        watch: { type: 'boolean' },
      },
      USAGE,
    );
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    const filter = filterFrom(p);
    const days = str(p, 'days') !== undefined ? int(str(p, 'days'), '--days', { max: 365 }) : 14;
    await withClient(async ({ client, pool }) => {
      const book = new OrderBook(filter);
      const since = Math.floor(Date.now() / 1000) - days * 86_400;
      if (!flag(p, 'watch')) {
        for (const ev of await client.query([client.orderFilter(since)])) book.add(ev, client.node);
        const entries = book.entries();
        emit(entries, () =>
          entries.length === 0
            ? 'no orders match'
            : table([['ID', 'KIND', 'FIAT', 'PRICE', 'METHODS', 'MAKER', ''], ...entries.map(row)]),
        );
        return;
      }
      await new Promise<void>((resolve) => {
        const sub = book.subscribe(
          pool,
          client.node,
          {
            onLoad: (entries) => {
              for (const e of entries) emitLine({ event: 'order', matches: true, order: e }, row(e).join('  '));
              emitLine(
                { event: 'loaded', count: entries.length },
                `— ${plural(entries.length, 'order')}; watching for changes (Ctrl-C to stop)`,
              );
            },
            onChange: (e, matches) =>
              emitLine(
                { event: 'order', matches, order: e },
                `${matches ? '+' : '-'} ${row(e).join('  ')}${matches ? '' : ` (${e.status})`}`,
              ),
          },
          since,
        );
        process.once('SIGINT', () => {
          sub.close();
          resolve();
        });
      });
    });
  });
}
