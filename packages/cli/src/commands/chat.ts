import type { ChatWith, Conversation, TradeRecord } from '@mostro/client';
import type { ChatMessage } from '@mostro/protocol';
import { flag, orderId, parseArgs, positionals, resolveId } from '../lib/args.ts';
import { withClient } from '../lib/context.ts';
import { UsageError } from '../lib/globals.ts';
import { emit, emitLine, guard } from '../lib/output.ts';

export const summary =
  'chat with your counterparty (or the solver: --solver): send, read, watch; handover gives the solver the chat key';
export const usesGlobals = true;
const USAGE = `mostro chat send <order-id> <text…> [--solver]
       mostro chat read <order-id> [--solver]
       mostro chat watch <order-id> [--solver]
       mostro chat handover <order-id>   (give the solver read access to the buyer–seller chat)`;

const SHORT = 'mostro chat send|read|watch|handover <order-id> [text…] [--solver] (see mostro chat --help)';
const SUBS = ['send', 'read', 'watch', 'handover'];

function line(m: ChatMessage, t: TradeRecord, myKey: string): string {
  const who =
    m.author === myKey
      ? 'me'
      : m.author === t.counterpartyPubkey
        ? 'peer'
        : m.author === t.dispute?.solverPubkey
          ? 'solver'
          : m.author.slice(0, 8);
  return `${new Date(m.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 19)}  ${who.padEnd(6)} ${m.text}`;
}

const json = (m: ChatMessage) => ({
  author: m.author,
  text: m.text,
  createdAt: m.createdAt,
  format: m.format,
  id: m.innerId,
});

export function run(argv: string[]): Promise<number> {
  return guard('chat', async () => {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h' || sub === 'help') return void console.log(`usage: ${USAGE}\n${summary}`);
    if (!sub || !SUBS.includes(sub))
      throw new UsageError(sub ? `unknown chat command '${sub}'` : 'missing chat command', `usage: ${SHORT}`);
    const p = parseArgs(`chat ${sub}`, rest, { solver: { type: 'boolean' } }, SHORT);
    const [rawId, ...words] = positionals(p, sub === 'send' ? ['order-id', 'text'] : ['order-id'], SHORT, {
      atLeast: sub === 'send',
    });
    orderId(rawId as string);
    const text = words.join(' ');
    const withWhom: ChatWith = flag(p, 'solver') ? 'solver' : 'peer';
    await withClient(async ({ client, chat, session }) => {
      const id = resolveId(
        rawId as string,
        client.trades().map((t) => t.orderId),
      );
      let trade = client.trade(id);
      const conversation = async (): Promise<Conversation> => {
        try {
          return chat.conversation(trade, withWhom);
        } catch {
          await client.sync(); // the counterparty / solver may have arrived since
          trade = client.trade(id);
          return chat.conversation(trade, withWhom);
        }
      };
      if (sub === 'handover' && !trade.dispute?.solverPubkey) {
        await client.sync(); // the solver is known once it took the dispute
        trade = client.trade(id);
      }
      const conv = await conversation();
      const me = session.key(trade.tradeIndex).publicKey;
      if (sub === 'send') {
        const e = await chat.send(conv, text);
        emit({ orderId: id, with: withWhom, id: e.id, text }, () => `sent to the ${withWhom}`);
      } else if (sub === 'handover') {
        const h = await chat.handOverChatKey(trade);
        emit(
          { orderId: id, signPub: h.signPub },
          () => 'the solver can now read (not write) your chat with the counterparty',
        );
      } else if (sub === 'read') {
        const all = await chat.history(conv);
        emit(all.map(json), () => (all.length === 0 ? 'no messages yet' : all.map((m) => line(m, trade, me))));
      } else {
        await new Promise<void>((resolve) => {
          const s = chat.read(conv, {
            onLoad: (all) => {
              for (const m of all) emitLine(json(m), line(m, trade, me));
            },
            onMessage: (m) => emitLine(json(m), line(m, trade, me)),
          });
          const stop = () => {
            s.close();
            void chat.flush().then(() => resolve());
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }
    });
  });
}
