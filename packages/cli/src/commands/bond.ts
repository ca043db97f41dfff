// `mostro bond`: the anti-abuse bond of a trade (protocol.md §5.12). `show` prints the bond to pay
// (its invoice) or the share you may claim; `claim` sends the invoice for your share of the
// counterparty's slashed bond. Paying a bond is `mostro pay <order-id> --bond`.
import { flag, orderId, parseArgs, positionals, resolveId, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { bondLines, tradeDetail, tradeJson } from '../lib/show.ts';

export const summary = 'anti-abuse bonds: show the bond to pay, or claim your share of a slashed bond';
export const usesGlobals = true;
const USAGE = 'mostro bond show <order-id> | mostro bond claim <order-id> --invoice <bolt11>';

const BOLT11 = /^ln(bc|tb|bcrt|sb)[0-9a-z]+$/i;

export function run(argv: string[]): Promise<number> {
  return guard('bond', async () => {
    const p = parseArgs('bond', argv, { invoice: { type: 'string' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    const [sub, rawId] = positionals(p, ['show|claim', 'order-id'], USAGE);
    if (sub !== 'show' && sub !== 'claim') throw new UsageError(`unknown bond action '${sub}'`, `usage: ${USAGE}`);
    orderId(rawId as string);
    const invoice = str(p, 'invoice')
      ?.trim()
      .replace(/^lightning:/i, '');
    if (sub === 'claim' && (!invoice || !BOLT11.test(invoice))) {
      throw new UsageError(
        invoice ? `'${invoice.slice(0, 24)}…' is not a bolt11 invoice` : 'claim needs --invoice <bolt11>',
        'create an invoice for exactly the share (see `mostro bond show <order-id>`) in your wallet',
      );
    }
    await withClient(async ({ client }) => {
      const id = resolveId(
        rawId as string,
        client.trades().map((t) => t.orderId),
      );
      if (sub === 'show') {
        await client.sync();
        const t = client.trade(id);
        const lines = bondLines(t);
        emit({ orderId: id, bond: t.bond ?? null, bondClaim: t.bondClaim ?? null, toPay: client.bondToPay(id) }, () =>
          lines.length > 0 ? [`order ${id}`, ...lines] : `no bond on order ${id}`,
        );
        return;
      }
      const t = client.trade(id);
      if (!t.bondClaim && t.next !== 'add-bond-invoice') {
        throw new UsageError(
          `nothing to claim on ${id}: no slashed bond's share is owed to you`,
          `see the trade with: mostro bond show ${id}`,
        );
      }
      const trade = await client.claimBond(id, invoice as string);
      emit(tradeJson(trade), () => ['bond claim accepted; the node pays it now', ...tradeDetail(trade)]);
    });
  });
}
