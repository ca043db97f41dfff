// Per-trade chat (the SDK's TradeChat): one live subscription per trade whose counterparty is
// known (and one to the solver in a dispute), messages kept per order, unread counts from the last
// time the trade's chat was open (kept in localStorage: a count, not a secret).
import { decodeChatKeyHandover, isOpen, TradeChat, type TradeRecord } from '@mostro/client';
import type { ChatMessage } from '@mostro/protocol';

interface Host {
  session: import('@mostro/client').Session | null;
  client: import('@mostro/client').MostroClient | null;
}

export interface Line {
  id: string;
  mine: boolean;
  from: 'me' | 'peer' | 'solver';
  text: string;
  at: number;
  /** Which conversation: with the counterparty, or with the solver of a dispute. */
  channel: 'peer' | 'solver';
  /** A chat-key hand-over to the solver: shown as what it means, never as the key it carries. */
  handover: boolean;
}

const READ_KEY = 'mostro:chat-read';

function readMarks(): Record<string, number> {
  try {
    return JSON.parse(localStorage.getItem(READ_KEY) ?? '{}') as Record<string, number>;
  } catch {
    return {};
  }
}

export class ChatHub {
  lines = $state.raw<Record<string, Line[]>>({});
  readAt = $state.raw<Record<string, number>>(readMarks());
  openFor = $state<string | null>(null);
  private subs = new Map<string, { close(): void }>();

  constructor(private readonly host: Host) {}

  private sdk(): TradeChat | null {
    const h = this.host;
    return h.session && h.client ? new TradeChat(h.session, h.client.pool) : null;
  }

  unread(orderId: string): number {
    const since = this.readAt[orderId] ?? 0;
    return (this.lines[orderId] ?? []).filter((l) => !l.mine && l.at > since).length;
  }

  totalUnread(): number {
    return Object.keys(this.lines).reduce((n, id) => n + this.unread(id), 0);
  }

  /** Has this browser handed the trade's chat key over to the solver? */
  handedOver(orderId: string): boolean {
    return (this.lines[orderId] ?? []).some((l) => l.handover && l.mine);
  }

  markRead(orderId: string): void {
    const last = Math.max(0, ...(this.lines[orderId] ?? []).map((l) => l.at));
    this.readAt = { ...this.readAt, [orderId]: last };
    localStorage.setItem(READ_KEY, JSON.stringify(this.readAt));
  }

  private add(orderId: string, from: Line['channel'], myKey: string, ms: ChatMessage[]): void {
    const have = this.lines[orderId] ?? [];
    const ids = new Set(have.map((l) => l.id));
    const fresh = ms
      .filter((m) => !ids.has(m.innerId))
      .map((m) => ({
        id: m.innerId,
        mine: m.author === myKey,
        from: m.author === myKey ? ('me' as const) : from,
        channel: from,
        text: m.text,
        at: m.createdAt,
        handover: decodeChatKeyHandover(m.text) !== null,
      }));
    if (fresh.length === 0) return;
    this.lines = { ...this.lines, [orderId]: [...have, ...fresh].sort((a, b) => a.at - b.at) };
    if (this.openFor === orderId) this.markRead(orderId);
  }

  /** Subscribes to the chats of the trades that have one, and drops the rest. */
  sync(trades: TradeRecord[]): void {
    const chat = this.sdk();
    const session = this.host.session;
    if (!chat || !session) return;
    for (const t of trades) {
      const myKey = session.key(t.tradeIndex).publicKey;
      for (const withWhom of ['peer', 'solver'] as const) {
        const key = `${t.orderId}:${withWhom}`;
        const ready = withWhom === 'peer' ? t.counterpartyPubkey : t.dispute?.solverPubkey;
        if (!ready || this.subs.has(key)) continue;
        if (!isOpen(t) && t.next !== 'rate') continue;
        const conv = chat.conversation(t, withWhom);
        const from = withWhom === 'peer' ? 'peer' : 'solver';
        this.subs.set(
          key,
          chat.read(conv, {
            since: t.createdAt - 60,
            onLoad: (all) => this.add(t.orderId, from, myKey, all),
            onMessage: (m) => this.add(t.orderId, from, myKey, [m]),
          }),
        );
      }
    }
  }

  async send(trade: TradeRecord, text: string, withWhom: 'peer' | 'solver' = 'peer'): Promise<void> {
    const chat = this.sdk();
    if (!chat) return;
    // Our own message comes back from the relay in the live subscription (same channel key).
    await chat.send(chat.conversation(trade, withWhom), text);
  }

  /** The dispute hand-over: the one trade's peer-chat read key, to the solver, after consent. */
  async handOver(trade: TradeRecord): Promise<void> {
    const chat = this.sdk();
    if (!chat) return;
    await chat.handOverChatKey(trade);
  }

  closeAll(): void {
    for (const s of this.subs.values()) s.close();
    this.subs.clear();
    this.lines = {};
  }
}
