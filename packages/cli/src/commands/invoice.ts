import { flag, orderId, parseArgs, positionals, resolveId } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';
import { tradeDetail, tradeJson } from '../lib/show.ts';

export const summary = 'buyer: send the invoice (or lightning address) the node pays your sats to';
export const usesGlobals = true;
const USAGE = 'mostro invoice <order-id> <bolt11|lightning-address> [--bond]';

const BOLT11 = /^ln(bc|tb|bcrt|sb)[0-9a-z]+$/i;
const LN_ADDRESS = /^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i;
const LNURL = /^lnurl1[0-9a-z]+$/i;

export function run(argv: string[]): Promise<number> {
  return guard('invoice', async () => {
    const p = parseArgs('invoice', argv, { bond: { type: 'boolean' } }, USAGE);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    const [rawId, rawInvoice] = positionals(p, ['order-id', 'invoice'], USAGE);
    orderId(rawId as string);
    const invoice = (rawInvoice as string).trim().replace(/^lightning:/i, '');
    const bond = flag(p, 'bond');
    if (!BOLT11.test(invoice) && (bond || !(LN_ADDRESS.test(invoice) || LNURL.test(invoice)))) {
      throw new UsageError(
        `'${invoice.slice(0, 24)}${invoice.length > 24 ? '…' : ''}' is not a ${bond ? 'bolt11 invoice' : 'bolt11 invoice, lightning address or LNURL'}`,
        'paste the invoice from your wallet (lnbc…), or a lightning address like you@wallet.com',
      );
    }
    await withClient(async ({ client }) => {
      const id = resolveId(
        rawId as string,
        client.trades().map((t) => t.orderId),
      );
      const t = client.trade(id);
      if (!bond && t.side !== 'buyer')
        throw new UsageError(
          `you are the seller in ${id}: the buyer sends the invoice`,
          `as the seller, pay the hold invoice: mostro pay ${id}`,
        );
      const trade = bond ? await client.addBondInvoice(id, invoice) : await client.addInvoice(id, invoice);
      emit(tradeJson(trade), () => ['invoice accepted', ...tradeDetail(trade)]);
    });
  });
}
