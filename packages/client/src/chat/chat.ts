// Trade chat over relays: the peer channel (buyer ↔ seller) and the solver channel (party ↔ solver).
// Reads both formats and writes the current kind 14 format — unless the other party's newest
// message was legacy (clients on mostro-core ≤ 0.14.1, e.g. mostro-cli ≤ 0.16.0, write and read only
// that): an in-flight conversation keeps
// its format (protocol.md §8). The durable replay store lives in the session. Chat never goes
// through the node and never blocks trade handling.
import {
  CHAT_KEY_PREFIX,
  type ChatChannel,
  type ChatFormat,
  type ChatKeyHandover,
  type ChatMessage,
  channelFromKey,
  chatChannel,
  decodeChatKeyHandover,
  encodeChatKeyHandover,
  type NostrEvent,
  nobleSecp,
  openChatWith,
  sharedSecret,
  wrapChat,
  wrapLegacyChat,
} from '@mostro/protocol';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { ClientError } from '../errors.ts';
import { type Filter, publishOrFail, type Relays, type Subscription } from '../net/relays.ts';
import type { Session } from '../session/session.ts';
import type { TradeRecord } from '../trade/types.ts';

export type ChatWith = 'peer' | 'solver';

const SEEN_LIMIT = 5000;
const LEGACY_WINDOW = 7 * 86_400;

export { CHAT_KEY_PREFIX, type ChatKeyHandover, decodeChatKeyHandover, encodeChatKeyHandover };

/** One conversation: keys, who may sign, and the filters to find it. */
export class Conversation {
  readonly channelId: string;
  /** The key writing in this conversation (null when read-only). */
  readonly writer: string | null;

  constructor(
    readonly channel: ChatChannel,
    /** Inner signers accepted (the two parties of this channel); null = not checked (read-only audit). */
    readonly allowedSigners: readonly string[] | null,
    /** My key signing inner events; null for read-only (a solver given K_conv). */
    private readonly myKey: Uint8Array | null,
  ) {
    this.channelId = channel.current?.conv.publicKey ?? channel.legacy?.publicKey ?? '';
    this.writer = myKey ? bytesToHex(nobleSecp.getPublicKey(myKey)) : null;
  }

  filters(since: number): Filter[] {
    const f: Filter[] = [];
    const cur = this.channel.current;
    if (cur)
      f.push(
        cur.signPub
          ? { kinds: [14], authors: [cur.signPub], since }
          : { kinds: [14], '#p': [cur.conv.publicKey], since },
      );
    if (this.channel.legacy)
      f.push({ kinds: [1059], '#p': [this.channel.legacy.publicKey], since: since - LEGACY_WINDOW });
    return f;
  }

  build(text: string, format: ChatFormat = 'current'): NostrEvent {
    if (!this.myKey)
      throw new ClientError(
        'not_allowed',
        'this chat is read-only (you hold only its K_conv)',
        'ask a party of the trade to write',
      );
    const params = { text, senderKey: this.myKey };
    if (format === 'legacy' && this.channel.legacy) return wrapLegacyChat(this.channel, params);
    return this.channel.current ? wrapChat(this.channel, params) : wrapLegacyChat(this.channel, params);
  }
}

/** Durable replay defence: inner id → the outer id it was first accepted in. */
function seenMap(session: Session, channelId: string): Map<string, string> {
  const entry = session.data.chat[channelId];
  return new Map<string, string>((entry?.seen ?? []).map((s) => s.split(':') as [string, string]));
}

export class TradeChat {
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly session: Session,
    private readonly pool: Relays,
  ) {}

  /** The peer (buyer ↔ seller) or solver conversation of a trade. */
  conversation(trade: TradeRecord, withWhom: ChatWith): Conversation {
    const key = this.session.key(trade.tradeIndex);
    const other = withWhom === 'peer' ? trade.counterpartyPubkey : (trade.dispute?.solverPubkey ?? null);
    if (!other) {
      throw new ClientError(
        'not_allowed',
        withWhom === 'peer'
          ? `the counterparty of ${trade.orderId} is not known yet (the chat opens once the escrow is locked)`
          : `no solver has taken the dispute of ${trade.orderId} yet`,
        withWhom === 'peer'
          ? 'wait for the escrow step (mostro watch), then retry'
          : 'wait for a solver to take the dispute (mostro watch)',
      );
    }
    return new Conversation(chatChannel(sharedSecret(key.secretKey, other)), [key.publicKey, other], key.secretKey);
  }

  async send(conv: Conversation, text: string): Promise<NostrEvent> {
    if (text.length === 0) throw new ClientError('invalid_input', 'the message is empty', 'give the text to send');
    const event = conv.build(text, this.replyFormat(conv));
    await publishOrFail(this.pool, event);
    return event;
  }

  /** The format the other party wrote in last (current until it wrote anything). */
  replyFormat(conv: Conversation): ChatFormat {
    return this.session.data.chat[conv.channelId]?.peer?.format ?? 'current';
  }

  /**
   * Reads a conversation: collects stored events until EOSE (then keeps listening when `onMessage`
   * stays subscribed). Messages are validated in full (§8.2) and deduplicated.
   */
  read(
    conv: Conversation,
    opts: { since?: number; onMessage?(m: ChatMessage): void; onLoad?(all: ChatMessage[]): void; now?: () => number },
  ): Subscription {
    const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    const seen = seenMap(this.session, conv.channelId);
    const outerSeen = new Set<string>();
    const loaded: ChatMessage[] = [];
    let live = false;
    const since = opts.since ?? now() - 30 * 86_400;
    const accept = (e: NostrEvent) => {
      const r = openChatWith(
        e,
        conv.channel,
        { allowedSigners: conv.allowedSigners, now: now() },
        {
          seenOuter: (id) => outerSeen.has(id),
          // A replay is the same inner event inside another outer event.
          seenInner: (id) => seen.has(id) && seen.get(id) !== e.id,
        },
      );
      outerSeen.add(e.id);
      if (!r.ok) return;
      if (!seen.has(r.message.innerId)) {
        seen.set(r.message.innerId, e.id);
        const fromPeer = r.message.author !== conv.writer ? r.message : null;
        const write = this.remember(
          conv.channelId,
          [[r.message.innerId, e.id]],
          Math.min(now(), r.message.createdAt),
          fromPeer && { format: fromPeer.format, at: fromPeer.createdAt },
        );
        this.writes.add(write);
        void write.finally(() => this.writes.delete(write));
      }
      if (live) opts.onMessage?.(r.message);
      else loaded.push(r.message);
    };
    return this.pool.subscribe(conv.filters(since), {
      onevent: accept,
      oneose: () => {
        if (live) return;
        live = true;
        loaded.sort((a, b) => a.createdAt - b.createdAt);
        opts.onLoad?.(loaded);
      },
    });
  }

  /** Reads the stored history once (until EOSE or `timeoutMs`). */
  history(conv: Conversation, opts: { since?: number; timeoutMs?: number } = {}): Promise<ChatMessage[]> {
    return new Promise((resolve) => {
      let sub: Subscription | null = null;
      let done = false;
      const finish = (all: ChatMessage[]) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sub?.close();
        // The replay store is durable: resolve once what was read is on disk.
        void this.flush().then(() => resolve(all));
      };
      const collected: ChatMessage[] = [];
      const timer = setTimeout(
        () => finish(collected.sort((a, b) => a.createdAt - b.createdAt)),
        opts.timeoutMs ?? 8000,
      );
      sub = this.read(conv, {
        ...(opts.since !== undefined ? { since: opts.since } : {}),
        onLoad: (all) => finish(all),
        onMessage: (m) => collected.push(m),
      });
    });
  }

  /** Hands the peer chat's K_conv to the solver, as a message in the solver channel. */
  async handOverChatKey(trade: TradeRecord): Promise<ChatKeyHandover> {
    const peer = this.conversation(trade, 'peer');
    const cur = peer.channel.current;
    if (!cur?.signPub)
      throw new ClientError('not_allowed', 'this chat has no current-format keys', 'nothing to hand over');
    const handover: ChatKeyHandover = {
      orderId: trade.orderId,
      convKey: bytesToHex(cur.conv.secretKey),
      signPub: cur.signPub,
    };
    await this.send(this.conversation(trade, 'solver'), encodeChatKeyHandover(handover));
    return handover;
  }

  /** Waits for pending writes of the replay store. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  private async remember(
    channelId: string,
    pairs: [string, string][],
    at: number,
    peer: { format: ChatFormat; at: number } | null = null,
  ): Promise<void> {
    await this.session.update((d) => {
      d.chat[channelId] ??= { seen: [], since: 0 };
      const entry = d.chat[channelId];
      if (peer && (!entry.peer || entry.peer.at <= peer.at)) entry.peer = peer;
      for (const [inner, outer] of pairs) {
        const tag = `${inner}:${outer}`;
        if (!entry.seen.some((s) => s.startsWith(`${inner}:`))) entry.seen.push(tag);
      }
      if (entry.seen.length > SEEN_LIMIT) entry.seen.splice(0, entry.seen.length - SEEN_LIMIT);
      entry.since = Math.max(entry.since, at);
    });
  }
}

/** A read-only conversation from a handed-over K_conv (for a solver). */
export function conversationFromHandover(h: ChatKeyHandover, partyPubkeys: readonly string[] | null): Conversation {
  return new Conversation(channelFromKey(hexToBytes(h.convKey), h.signPub), partyPubkeys, null);
}
