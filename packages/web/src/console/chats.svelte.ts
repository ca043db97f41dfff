// The chats of the disputes a solver took: a live channel with each party (protocol.md §8.4), and
// the buyer–seller chat once a party hands its key over in its channel — read-only, every message
// shown only after the protocol's checks (inner signature by a party included) — and its
// transcript, re-fetched from the relays and sealed under the solver's key.
import {
  type AdminClient,
  ClientError,
  type Conversation,
  conversationFromHandover,
  decodeChatKeyHandover,
  type MostroClient,
  type TakenDispute,
  type TradeChat,
} from '@mostro/client';
import { type ChatKeyHandover, type ChatMessage, exportTranscript } from '@mostro/protocol';
import { hexToBytes } from '@noble/hashes/utils.js';
import { ct } from './i18n.ts';
import { sealTranscript } from './transcript-file.ts';

export type Party = 'buyer' | 'seller';

export interface ChatLine {
  id: string;
  from: 'solver' | Party;
  text: string;
  at: number;
  /** The party handed over its buyer–seller chat key in this message. */
  handover: boolean;
}

export interface PeerChat {
  handedOverBy: Party[];
  handover: ChatKeyHandover;
  messages: ChatMessage[];
}

const partyKeys = (t: TakenDispute): string[] =>
  [t.info.buyer_pubkey, t.info.seller_pubkey].filter((k): k is string => !!k);

export class DisputeChats {
  /** Per `${disputeId}:${party}`. */
  partyChat = $state.raw<Record<string, ChatLine[]>>({});
  peerChat = $state.raw<Record<string, PeerChat>>({});
  private subs = new Map<string, { close(): void }>();

  constructor(
    private readonly admin: AdminClient,
    private readonly chat: TradeChat,
    private readonly client: MostroClient,
  ) {}

  private conversation(t: TakenDispute, party: Party): Conversation | null {
    try {
      return this.admin.conversation(t, party);
    } catch {
      return null;
    }
  }

  /** Live chat with both parties; a handover in either opens the buyer–seller chat. */
  follow(t: TakenDispute): void {
    for (const party of ['buyer', 'seller'] as const) {
      const key = `${t.disputeId}:${party}`;
      const conv = this.conversation(t, party);
      if (!conv || this.subs.has(key)) continue;
      const add = (ms: ChatMessage[]) => this.addLines(t, party, ms);
      this.subs.set(
        key,
        this.chat.read(conv, { since: t.info.created_at - 60, onLoad: add, onMessage: (m) => add([m]) }),
      );
    }
  }

  private addLines(t: TakenDispute, party: Party, ms: ChatMessage[]): void {
    const key = `${t.disputeId}:${party}`;
    const have = this.partyChat[key] ?? [];
    const ids = new Set(have.map((l) => l.id));
    const fresh: ChatLine[] = [];
    for (const m of ms) {
      if (ids.has(m.innerId)) continue;
      const mine = m.author === this.admin.key.publicKey;
      const handover = mine ? null : decodeChatKeyHandover(m.text);
      fresh.push({ id: m.innerId, from: mine ? 'solver' : party, text: m.text, at: m.createdAt, handover: !!handover });
      if (handover && handover.orderId === t.info.id) this.openPeerChat(t, party, handover);
    }
    if (fresh.length === 0) return;
    this.partyChat = { ...this.partyChat, [key]: [...have, ...fresh].sort((a, b) => a.at - b.at) };
  }

  private openPeerChat(t: TakenDispute, by: Party, handover: ChatKeyHandover): void {
    const have = this.peerChat[t.disputeId];
    if (have) {
      if (!have.handedOverBy.includes(by))
        this.peerChat = { ...this.peerChat, [t.disputeId]: { ...have, handedOverBy: [...have.handedOverBy, by] } };
      return;
    }
    this.peerChat = { ...this.peerChat, [t.disputeId]: { handedOverBy: [by], handover, messages: [] } };
    const conv = conversationFromHandover(handover, partyKeys(t));
    const add = (ms: ChatMessage[]) => {
      const cur = this.peerChat[t.disputeId];
      if (!cur) return;
      const ids = new Set(cur.messages.map((m) => m.innerId));
      const fresh = ms.filter((m) => !ids.has(m.innerId));
      if (fresh.length === 0) return;
      const messages = [...cur.messages, ...fresh].sort((a, b) => a.createdAt - b.createdAt);
      this.peerChat = { ...this.peerChat, [t.disputeId]: { ...cur, messages } };
    };
    this.subs.set(
      `${t.disputeId}:peer`,
      this.chat.read(conv, { since: t.info.created_at - 60, onLoad: add, onMessage: (m) => add([m]) }),
    );
  }

  async send(t: TakenDispute, party: Party, text: string): Promise<void> {
    const conv = this.conversation(t, party);
    if (!conv) throw new ClientError('not_allowed', ct('chat.noParty'), '');
    // Our message comes back through the live subscription.
    await this.chat.send(conv, text);
  }

  /**
   * The handed-over chat as a sealed transcript file: the relay events fetched again, every message
   * re-checked (protocol verifyTranscript rules), sealed under the solver's key.
   */
  async transcriptFile(t: TakenDispute, now: number): Promise<string> {
    const peer = this.peerChat[t.disputeId];
    if (!peer) throw new ClientError('not_allowed', ct('peer.none'), '');
    const conv = conversationFromHandover(peer.handover, partyKeys(t));
    const events = await this.client.query(conv.filters(t.info.created_at - 60));
    const transcript = exportTranscript(hexToBytes(peer.handover.convKey), events, partyKeys(t), {
      signPub: peer.handover.signPub,
    });
    const seal = sealTranscript(
      { format: 'mostro-dispute-transcript/1', orderId: t.info.id, disputeId: t.disputeId, transcript, events },
      this.admin.key.secretKey,
      now,
    );
    return JSON.stringify(seal, null, 2);
  }

  close(): void {
    for (const s of this.subs.values()) s.close();
    this.subs.clear();
  }
}
