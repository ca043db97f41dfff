import { toNpub } from '@mostro/protocol';
import { flag, parseArgs, str } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { globals, UsageError } from '../lib/globals.ts';
import { emit, guard } from '../lib/output.ts';

export const summary =
  "a node's info: transport, limits, fee, PoW, timers, currencies, relays (--save: make it the default)";
export const usesGlobals = true;
const USAGE =
  'mostro node [--save [--transport auto|nip44|gift-wrap]] [--rates]   (with --node and --relay, or the saved default)';

export function run(argv: string[]): Promise<number> {
  return guard('node', async () => {
    const p = parseArgs(
      'node',
      argv,
      { save: { type: 'boolean' }, rates: { type: 'boolean' }, transport: { type: 'string' } },
      USAGE,
    );
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}\n${summary}`);
    if (p.positionals.length > 0)
      throw new UsageError(`unexpected argument '${p.positionals[0]}'`, 'give the node with --node <npub>');
    const transport = str(p, 'transport');
    if (transport !== undefined && !['auto', 'nip44', 'gift-wrap'].includes(transport)) {
      throw new UsageError(
        `--transport must be auto, nip44 or gift-wrap, got '${transport}'`,
        "auto follows the node's info (recommended)",
      );
    }
    if (transport !== undefined && !flag(p, 'save'))
      throw new UsageError('--transport is a saved setting', 'add --save');
    await withClient(async ({ client, session }) => {
      const info = await client.info();
      const relays = await client.relayList();
      const rates = flag(p, 'rates') ? await client.rates() : undefined;
      if (flag(p, 'save')) {
        const used = globals().relays.length > 0 ? globals().relays : (session.data.nodes[client.node]?.relays ?? []);
        await session.update((d) => {
          d.defaultNode = client.node;
          d.nodes[client.node] = {
            pubkey: client.node,
            relays: used,
            transport:
              transport === undefined
                ? (d.nodes[client.node]?.transport ?? null)
                : transport === 'auto'
                  ? null
                  : (transport as 'nip44' | 'gift-wrap'),
          };
        });
      }
      const fee = (info.fee * 100) / 2;
      emit({ ...info, relays, ...(rates ? { rates } : {}), saved: flag(p, 'save') }, () => [
        `node ${toNpub(info.pubkey)}${info.name ? ` (${info.name})` : ''}, mostrod ${info.version ?? '?'}`,
        `  transport      ${info.transport} (protocol v${info.protocolVersion})`,
        `  order limits   ${info.minOrderSats ?? '?'} – ${info.maxOrderSats ?? '?'} sats`,
        `  fee            ${info.fee} total: ${fee}% paid by each side`,
        `  proof of work  ${info.pow} bits${info.powFirstContact > info.pow ? `, ${info.powFirstContact} for a new trade key` : ''}`,
        `  timers         pending orders live ${info.expirationHours} h; ${info.expirationSeconds} s to pay or send an invoice once taken`,
        `  currencies     ${info.fiatCurrencies.length > 0 ? info.fiatCurrencies.join(', ') : 'any'}`,
        `  network        ${info.network ?? 'unknown'}${info.bondEnabled ? ', anti-abuse bonds on' : ''}`,
        ...(info.maintenance ? ['  MAINTENANCE    the node takes no new orders or takes now; open trades go on'] : []),
        `  relays         ${relays.length > 0 ? relays.join(' ') : '(no relay list published)'}`,
        ...reputationLines(info),
        ...(rates
          ? [
              `  rates (1 BTC)  ${
                Object.entries(rates)
                  .map(([c, v]) => `${c} ${v}`)
                  .join(', ') || 'none published'
              }`,
            ]
          : []),
        ...(flag(p, 'save')
          ? [`saved as the default node${transport && transport !== 'auto' ? `, always using ${transport}` : ''}`]
          : []),
      ]);
    });
  });
}

/** What the node offers for reputation portability (its info event's reputation tags). */
function reputationLines(info: { reputationIssuer: string | null; reputationImportIssuers: string[] | null }) {
  const lines: string[] = [];
  if (info.reputationIssuer)
    lines.push(`  reputation     exports attestations signed by ${toNpub(info.reputationIssuer)}`);
  if (info.reputationImportIssuers) {
    const from = info.reputationImportIssuers.map(toNpub).join(' ') || 'no issuer yet';
    lines.push(`  reputation     imports attestations from ${from}`);
  }
  return lines;
}
