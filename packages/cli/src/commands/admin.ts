import type { AdminClient, TakenDispute } from '@mostro/client';
import type { ChatMessage } from '@mostro/protocol';
import { parsePublicKey, toNpub } from '@mostro/protocol';
import { adminOverRpc, RPC_CAPABLE, RPC_ONLY } from '../lib/admin-operator.ts';
import { DEFAULT_RPC_URL, rpcTarget } from '../lib/admin-rpc.ts';
import { flag, fullId, parseArgs, positionals, str } from '../lib/args.ts';
import { adminClient, adminSession, withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { localNode } from '../lib/local-node.ts';
import { ago, emit, guard, table } from '../lib/output.ts';

export const summary =
  'solver and operator commands: add-solver, disputes, take, settle, cancel, chat, transcript, maintenance, version';
export const usesGlobals = true;
const USAGE = `mostro admin add-solver <npub>[:read|:write|:read-write]   (node operator key)
       mostro admin disputes [--status initiated|in-progress|settled|seller-refunded|released]
       mostro admin take <dispute-id>
       mostro admin settle <order-id>      (pay the buyer)
       mostro admin cancel <order-id>      (refund the seller)
       mostro admin chat <dispute-id> --party buyer|seller [text…]   (no text: read)
       mostro admin transcript <dispute-id>   (the buyer–seller chat, from a handed-over key)
       mostro admin maintenance on [--reason TEXT] | off | status   (admin gRPC)
       mostro admin version                                          (admin gRPC)
       mostro admin revoke-imports <issuer-key> [--after UNIX] [--reason TEXT]   (admin gRPC)
       mostro admin rebind-export <identity> <new-identity> --reason TEXT       (admin gRPC)
  over Nostr these need --admin-key <nsec> or MOSTRO_ADMIN_KEY. With --rpc URL (or MOSTRO_RPC_URL)
  add-solver, take, settle and cancel [--pretrade-only] go through the node's admin gRPC instead,
  acting as the node key. maintenance and version always do: default this machine's mostrod,
  else ${DEFAULT_RPC_URL}. The token is MOSTRO_RPC_TOKEN or the local node's rpc.auth_token,
  never sent in clear text to another machine.`;

const SHORT =
  'mostro admin add-solver|disputes|take|settle|cancel|chat|transcript|maintenance|version|revoke-imports|rebind-export … (see mostro admin --help)';
const SUBS = [
  'add-solver',
  'disputes',
  'take',
  'settle',
  'cancel',
  'chat',
  'transcript',
  'maintenance',
  'version',
  'revoke-imports',
  'rebind-export',
];

const msgJson = (m: ChatMessage) => ({
  author: m.author,
  text: m.text,
  createdAt: m.createdAt,
  format: m.format,
  id: m.innerId,
  sig: m.signature,
});

function who(m: ChatMessage, t: TakenDispute, admin: AdminClient): string {
  if (m.author === admin.key.publicKey) return 'solver';
  if (m.author === t.info.buyer_pubkey) return 'buyer';
  if (m.author === t.info.seller_pubkey) return 'seller';
  return m.author.slice(0, 8);
}

const line = (m: ChatMessage, w: string) =>
  `${new Date(m.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 19)}  ${w.padEnd(6)} ${m.text}`;

export function run(argv: string[]): Promise<number> {
  return guard('admin', async () => {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h' || sub === 'help') return void console.log(`usage: ${USAGE}\n${summary}`);
    if (!sub || !SUBS.includes(sub))
      throw new UsageError(sub ? `unknown admin command '${sub}'` : 'missing admin command', `usage: ${SHORT}`);
    const p = parseArgs(
      `admin ${sub}`,
      rest,
      {
        status: { type: 'string' },
        party: { type: 'string' },
        rpc: { type: 'string' },
        reason: { type: 'string' },
        after: { type: 'string' },
        'pretrade-only': { type: 'boolean' },
      },
      SHORT,
    );
    const names: Record<string, string[]> = {
      'add-solver': ['npub'],
      disputes: [],
      take: ['dispute-id'],
      settle: ['order-id'],
      cancel: ['order-id'],
      chat: ['dispute-id'],
      transcript: ['dispute-id'],
      maintenance: ['on|off|status'],
      version: [],
      'revoke-imports': ['issuer-key'],
      'rebind-export': ['identity', 'new-identity'],
    };
    const args = positionals(p, names[sub] as string[], SHORT, { atLeast: sub === 'chat' });
    // Validate everything before connecting.
    if (sub === 'add-solver') {
      const [npub, perm, extra] = (args[0] as string).split(':');
      if (
        !parsePublicKey(npub ?? '') ||
        extra !== undefined ||
        (perm !== undefined && !['read', 'write', 'read-write'].includes(perm))
      ) {
        throw new UsageError(
          `'${args[0]}' is not npub1…[:read|:write|:read-write]`,
          'give the solver as npub1…, optionally with :read',
        );
      }
    }
    if (['take', 'chat', 'transcript'].includes(sub)) fullId(args[0] as string, 'dispute id');
    if (['settle', 'cancel'].includes(sub)) fullId(args[0] as string);
    const party = str(p, 'party');
    if (sub === 'chat' && party !== 'buyer' && party !== 'seller')
      throw new UsageError('missing --party buyer|seller', 'say which party to chat with');
    if (sub === 'maintenance' && !['on', 'off', 'status'].includes(args[0] as string))
      throw new UsageError(`'${args[0]}' is not on, off or status`, 'mostro admin maintenance on|off|status');
    const takesReason =
      (sub === 'maintenance' && args[0] === 'on') || sub === 'revoke-imports' || sub === 'rebind-export';
    if (str(p, 'reason') !== undefined && !takesReason)
      throw new UsageError('--reason goes with maintenance on', 'mostro admin maintenance on --reason "…"');
    if (sub === 'rebind-export' && !str(p, 'reason')?.trim())
      throw new UsageError('missing --reason', 'say why the export moves: --reason "…" (it is logged)');
    const after = str(p, 'after');
    if (after !== undefined && (sub !== 'revoke-imports' || !/^\d{1,12}$/.test(after)))
      throw new UsageError('--after takes a unix time and goes with revoke-imports', `usage: ${SHORT}`);
    if (flag(p, 'help')) return void console.log(`usage: ${USAGE}`);

    const rpc = RPC_CAPABLE.includes(sub)
      ? rpcTarget(str(p, 'rpc'), process.env, RPC_ONLY.includes(sub), localNode()?.rpc ?? null)
      : null;
    if (flag(p, 'pretrade-only') && !(sub === 'cancel' && rpc))
      throw new UsageError('--pretrade-only is for cancel over the admin gRPC', 'add --rpc URL or set MOSTRO_RPC_URL');
    if (rpc) {
      const reason = str(p, 'reason');
      return adminOverRpc(
        sub,
        args,
        {
          pretradeOnly: flag(p, 'pretrade-only'),
          ...(reason ? { reason } : {}),
          ...(after ? { after: Number(after) } : {}),
        },
        rpc,
      );
    }
    if (str(p, 'rpc') !== undefined) throw new UsageError(`--rpc does not apply to admin ${sub}`, `usage: ${SHORT}`);

    await withClient(
      async (c) => {
        const admin = adminClient(c);
        switch (sub) {
          case 'add-solver':
            await admin.addSolver(args[0] as string);
            return emit({ added: args[0] }, () => `solver ${args[0]} added`);
          case 'disputes': {
            const list = await admin.disputes(str(p, 'status'));
            return emit(list, () =>
              list.length === 0
                ? 'no disputes'
                : table([
                    ['DISPUTE', 'STATUS', 'INITIATOR', 'OPENED'],
                    ...list.map((d) => [d.id, d.status, d.initiator ?? '?', d.openedAt ? ago(d.openedAt) : '?']),
                  ]),
            );
          }
          case 'take': {
            const t = await admin.takeDispute((args[0] as string).toLowerCase());
            const i = t.info;
            // The dispute info carries no currency; the order's public event does.
            const currency =
              (await c.client.orderEvents(0)).find((e) => e.id === i.id)?.fiatCode ?? '(currency not published)';
            const npub = (k: string | null) => (k ? toNpub(k) : '?');
            return emit({ ...t, fiatCode: currency }, () => [
              `dispute ${t.disputeId} is yours`,
              `  order ${i.id}: ${i.kind} ${i.amount} sats for ${i.fiat_amount} ${currency} via ${i.payment_method}, status before the dispute ${i.order_previous_status}`,
              `  initiator ${i.initiator_pubkey === i.buyer_pubkey ? 'buyer' : 'seller'}; buyer ${npub(i.buyer_pubkey)}; seller ${npub(i.seller_pubkey)}`,
              `  next: mostro admin chat ${t.disputeId} --party buyer|seller, then admin settle|cancel ${i.id}`,
            ]);
          }
          case 'settle':
            await admin.settle(args[0] as string);
            return emit({ orderId: args[0], settled: true }, () => 'settled: the buyer is paid');
          case 'cancel':
            await admin.cancel(args[0] as string);
            return emit({ orderId: args[0], canceled: true }, () => 'canceled: the seller is refunded');
          case 'chat': {
            const t = admin.dispute(args[0] as string);
            const conv = admin.conversation(t, party as 'buyer' | 'seller');
            const text = args.slice(1).join(' ');
            if (text) {
              const e = await c.chat.send(conv, text);
              return emit({ disputeId: t.disputeId, party, id: e.id, text }, () => `sent to the ${party}`);
            }
            const all = await c.chat.history(conv);
            return emit(all.map(msgJson), () =>
              all.length === 0 ? 'no messages yet' : all.map((m) => line(m, who(m, t, admin))),
            );
          }
          case 'transcript': {
            const t = admin.dispute(args[0] as string);
            const r = await admin.peerTranscript(c.chat, t);
            if (!r)
              throw new UsageError(
                'no party has handed over its chat key yet',
                'ask a party to run `mostro chat handover <order-id>`',
              );
            return emit(
              {
                disputeId: t.disputeId,
                orderId: t.info.id,
                handedOverBy: r.handedOverBy,
                messages: r.messages.map(msgJson),
              },
              () => [
                `buyer–seller chat of order ${t.info.id} (key handed over by the ${r.handedOverBy.join(' and ')}); every message's signature verified`,
                ...(r.messages.length === 0 ? ['no messages'] : r.messages.map((m) => line(m, who(m, t, admin)))),
              ],
            );
          }
        }
      },
      await adminSession(),
    );
  });
}
