import type { Session } from '@mostro/client';
import { type NewOrderParams, partyFee } from '@mostro/client';
import { fiatAmount, flag, int, orderId, parseArgs, resolveId, str } from '../lib/args.ts';
import { openSession, withClient } from '../lib/context.ts';
import { globals, UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { confirm, isInteractive } from '../lib/prompt.ts';
import { tradeDetail, tradeJson } from '../lib/show.ts';

export const summary =
  'create an order: fixed sats, market price (with premium) or a fiat range; shows fee and limits, asks to confirm';
export const usesGlobals = true;
const USAGE =
  'mostro new --kind buy|sell --fiat EUR --amount 100|100-500 --method "SEPA,Revolut" [--sats N | --premium P] [--invoice <bolt11|ln-address>] [--expires-days D] [--renew <old-order-id>] [--yes]';

export function run(argv: string[]): Promise<number> {
  return guard('new', async () => {
    const p = parseArgs(
      'new',
      argv,
      {
        kind: { type: 'string', short: 'k' },
        fiat: { type: 'string', short: 'c' },
        amount: { type: 'string', short: 'f' },
        method: { type: 'string', short: 'm' },
        sats: { type: 'string', short: 'a' },
        premium: { type: 'string', short: 'p' },
        invoice: { type: 'string', short: 'i' },
        'expires-days': { type: 'string', short: 'e' },
        renew: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
      },
      USAGE,
    );
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`, `usage: ${USAGE}`);
    // --renew: the terms of one of my earlier orders (expired or canceled), unless overridden.
    let session: Session | undefined;
    const renew = str(p, 'renew');
    if (renew !== undefined) {
      orderId(renew);
      session = await openSession();
      const rid = resolveId(renew, Object.keys(session.data.trades));
      const t = session.data.trades[rid];
      if (!t?.order || t.role !== 'maker') {
        throw new UsageError(`order ${rid} is not one of your orders`, 'pick one from `mostro trades --all`');
      }
      const o = t.order;
      const v = p.values;
      const range = o.min_amount != null && o.max_amount != null && !o.fiat_amount;
      v.kind ??= t.kind;
      v.fiat ??= o.fiat_code;
      v.amount ??= range ? `${o.min_amount}-${o.max_amount}` : String(o.fiat_amount);
      v.method ??= o.payment_method;
      if (o.premium !== 0) v.premium ??= String(o.premium);
      else if (o.amount > 0 && !range && v.premium === undefined) v.sats ??= String(o.amount);
    }
    const kind = str(p, 'kind');
    if (kind !== 'buy' && kind !== 'sell')
      throw new UsageError(
        kind === undefined ? 'missing --kind' : `--kind must be buy or sell, got '${kind}'`,
        'use --kind buy or --kind sell',
      );
    const fiat = str(p, 'fiat');
    if (!fiat || !/^[A-Za-z]{3,5}$/.test(fiat))
      throw new UsageError(
        fiat ? `--fiat '${fiat}' is not a currency code` : 'missing --fiat',
        'for example --fiat EUR',
      );
    const amount = fiatAmount(str(p, 'amount'));
    const method = str(p, 'method')?.trim();
    if (!method)
      throw new UsageError('missing --method', 'name the payment method(s), for example --method "SEPA,Revolut"');
    const sats = str(p, 'sats') !== undefined ? int(str(p, 'sats'), '--sats', { min: 0 }) : 0;
    const premium = str(p, 'premium') !== undefined ? int(str(p, 'premium'), '--premium', { min: -100, max: 100 }) : 0;
    if (sats > 0 && premium !== 0)
      throw new UsageError(
        '--premium only applies to market-price orders',
        'drop --sats for a market order, or drop --premium',
      );
    if (sats > 0 && Array.isArray(amount))
      throw new UsageError('a range order is always at market price', 'drop --sats, or give a single --amount');
    const invoice = str(p, 'invoice');
    if (invoice !== undefined && kind !== 'buy')
      throw new UsageError(
        '--invoice is for buy orders (the buyer receives the sats)',
        'drop --invoice; you pay a hold invoice once taken',
      );
    const days =
      str(p, 'expires-days') !== undefined ? int(str(p, 'expires-days'), '--expires-days', { max: 365 }) : null;
    const params: NewOrderParams = {
      kind,
      fiatCode: fiat.toUpperCase(),
      fiatAmount: amount,
      paymentMethod: method,
      amount: sats,
      premium,
      ...(invoice ? { buyerInvoice: invoice } : {}),
      ...(days ? { expiresAt: Math.floor(Date.now() / 1000) + days * 86_400 } : {}),
    };

    if (!flag(p, 'yes') && (globals().json || !isInteractive())) {
      throw new UsageError('confirmation needed but there is no terminal to ask', 'check the details and pass --yes');
    }
    await withClient(async ({ client }) => {
      const info = await client.info();
      if (
        sats > 0 &&
        ((info.minOrderSats !== null && sats < info.minOrderSats) ||
          (info.maxOrderSats !== null && sats > info.maxOrderSats))
      ) {
        throw new UsageError(
          `${sats} sats is outside this node's limits (${info.minOrderSats} – ${info.maxOrderSats} sats)`,
          'choose an amount inside the limits (see `mostro node`)',
        );
      }
      if (
        info.fiatCurrencies.length > 0 &&
        !info.fiatCurrencies.map((c) => c.toUpperCase()).includes(params.fiatCode)
      ) {
        throw new UsageError(
          `this node does not accept ${params.fiatCode}`,
          `use one of ${info.fiatCurrencies.join(', ')}`,
        );
      }
      // Market orders: an estimate from the node's published rates (30078), when it has one.
      const rate =
        sats === 0 ? (await client.rates().catch(() => ({}) as Record<string, number>))[params.fiatCode] : undefined;
      const fiatMax = Array.isArray(amount) ? amount[1] : amount;
      const estimate = rate ? Math.trunc((fiatMax / rate) * 1e8 * (1 - premium / 100)) : null;
      const fee = sats > 0 ? partyFee(sats, info.fee) : null;
      const privacy = client.privacy;
      const lines = [
        `${kind.toUpperCase()} ${Array.isArray(amount) ? amount.join('-') : amount} ${params.fiatCode} via ${method}`,
        estimate !== null
          ? `  price: market${premium !== 0 ? ` ${premium > 0 ? '+' : ''}${premium}%` : ''}, about ${estimate} sats${Array.isArray(amount) ? ' at the top of the range' : ''} at the node's rate (1 BTC = ${rate} ${params.fiatCode})`
          : sats > 0
            ? `  price: ${sats} sats (fixed)`
            : `  price: market${premium !== 0 ? ` ${premium > 0 ? '+' : ''}${premium}%` : ''}, computed when taken`,
        `  fee: ${(info.fee * 50).toFixed(2)}% of the sats${fee !== null ? ` = ${fee} sats` : ''} (${kind === 'sell' ? 'added to your hold invoice' : 'taken from your payout'})`,
        `  node limits: ${info.minOrderSats ?? '?'} – ${info.maxOrderSats ?? '?'} sats; the order lives ${days ? `${days} days (node may shorten)` : `${info.expirationHours} h`}`,
        `  mode: ${privacy}${privacy === 'full-private' ? ' (no reputation)' : ''}`,
      ];
      if (!flag(p, 'yes')) {
        if (globals().json || !isInteractive()) {
          throw new UsageError(
            'confirmation needed but there is no terminal to ask',
            'check the details and pass --yes',
          );
        }
        process.stderr.write(`${lines.join('\n')}\n`);
        if (!(await confirm('publish this order?')))
          throw new UsageError('not confirmed, nothing was sent', 'run again and answer y, or pass --yes');
      }
      const trade = await client.newOrder(params);
      emit(tradeJson(trade), () => ['order published', ...tradeDetail(trade)]);
    }, session);
  });
}
