// Solver and operator actions (protocol.md §7): add a solver (node key only), list disputes (38386),
// take one, settle or cancel it, chat with each party, and read a party's handed-over peer chat.
// The admin key is a plain Nostr key held by the solver; it acts in full-privacy form
// (identity = sender), as the reference admin tools do.
import {
  type ChatMessage,
  chatChannel,
  type NostrEvent,
  newMessage,
  type Payload,
  type SolverDisputeInfo,
  sharedSecret,
  wrapperForAction,
} from '@mostro/protocol';
import { Conversation, conversationFromHandover, decodeChatKeyHandover, type TradeChat } from './chat/chat.ts';
import type { MostroClient } from './client.ts';
import { ClientError } from './errors.ts';
import type { KeyPair } from './net/envelope.ts';

export interface DisputeEntry {
  id: string;
  status: string;
  initiator: string | null;
  openedAt: number | null;
  updatedAt: number;
}

export interface TakenDispute {
  disputeId: string;
  info: SolverDisputeInfo;
}

function uuidV4(): string {
  return crypto.randomUUID();
}

export function parseDisputeEvent(e: NostrEvent): DisputeEntry | null {
  if (e.kind !== 38386) return null;
  const v = (n: string) => e.tags.find((t) => t[0] === n)?.[1];
  const id = v('d');
  if (!id) return null;
  // mostrod ≥ 0.20 (and this node) write the opening time as published_at; older ones as created_at.
  const opened = Number(v('published_at') ?? v('created_at'));
  return {
    id,
    status: v('s') ?? 'initiated',
    initiator: v('initiator') ?? null,
    openedAt: Number.isFinite(opened) ? opened : null,
    updatedAt: e.created_at,
  };
}

export class AdminClient {
  constructor(
    private readonly client: MostroClient,
    readonly key: KeyPair,
  ) {}

  private async send(
    action: Parameters<typeof wrapperForAction>[0],
    id: string,
    payload: Parameters<typeof newMessage>[1]['payload'],
    what: string,
  ) {
    const message = newMessage(wrapperForAction(action, payload ?? null), { action, id, payload: payload ?? null });
    return this.client.request(message, this.key, { identity: false, what });
  }

  /** Operator only (the node's own key): `npub[:read|:write|:read-write]`. */
  async addSolver(solver: string): Promise<void> {
    await this.send('admin-add-solver', uuidV4(), { text_message: solver }, 'the node to add the solver');
  }

  async disputes(status?: string): Promise<DisputeEntry[]> {
    const events = await this.client.query([{ kinds: [38386], authors: [this.client.node] }]);
    const newest = new Map<string, DisputeEntry>();
    for (const e of events) {
      const d = parseDisputeEvent(e);
      if (d && (!newest.has(d.id) || (newest.get(d.id) as DisputeEntry).updatedAt < d.updatedAt)) newest.set(d.id, d);
    }
    return [...newest.values()].filter((d) => !status || d.status === status).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async takeDispute(disputeId: string): Promise<TakenDispute> {
    const reply = await this.send(
      'admin-take-dispute',
      disputeId.toLowerCase(),
      null,
      'the node to assign the dispute to you',
    );
    const p = reply.message.kind.payload;
    if (!p || !('dispute' in p) || !p.dispute[1]) {
      throw new ClientError(
        'cant_do',
        'the node confirmed without the dispute details',
        'retry admin take; the node may be incompatible',
      );
    }
    const taken = { disputeId: p.dispute[0], info: p.dispute[1] };
    await this.client.session.update((d) => {
      d.solver ??= {};
      d.solver[taken.disputeId] = taken;
    });
    return taken;
  }

  /** Disputes this session took (with the details the node sent). */
  taken(): Record<string, TakenDispute> {
    return this.client.session.data.solver ?? {};
  }

  dispute(idOrOrder: string): TakenDispute {
    const all = Object.values(this.taken());
    const found = all.find((t) => t.disputeId === idOrOrder.toLowerCase() || t.info.id === idOrOrder.toLowerCase());
    if (!found)
      throw new ClientError(
        'unknown_trade',
        `you have not taken dispute ${idOrOrder}`,
        'take it first: mostro admin take <dispute-id>',
      );
    return found;
  }

  /** Pays the buyer; `slash` forfeits the named parties' anti-abuse bonds (protocol.md §5.12). */
  async settle(orderId: string, slash: BondSlash = {}): Promise<void> {
    await this.send(
      'admin-settle',
      orderId.toLowerCase(),
      bondResolution(slash),
      'the node to settle the order (pay the buyer)',
    );
  }

  /** Refunds the seller; `slash` forfeits the named parties' anti-abuse bonds. */
  async cancel(orderId: string, slash: BondSlash = {}): Promise<void> {
    await this.send(
      'admin-cancel',
      orderId.toLowerCase(),
      bondResolution(slash),
      'the node to cancel the order (refund the seller)',
    );
  }

  /** The solver ↔ party conversation (party = the buyer's or the seller's trade pubkey). */
  conversation(t: TakenDispute, party: 'buyer' | 'seller'): Conversation {
    const pub = party === 'buyer' ? t.info.buyer_pubkey : t.info.seller_pubkey;
    if (!pub) throw new ClientError('not_allowed', `the dispute has no ${party} pubkey`, 'nothing to chat with');
    return new Conversation(
      chatChannel(sharedSecret(this.key.secretKey, pub)),
      [pub, this.key.publicKey],
      this.key.secretKey,
    );
  }

  /**
   * The buyer ↔ seller chat of a dispute, from a K_conv a party handed over in its solver channel.
   * Returns null when no party handed a key over yet.
   */
  async peerTranscript(
    chat: TradeChat,
    t: TakenDispute,
  ): Promise<{ messages: ChatMessage[]; handedOverBy: string[] } | null> {
    const handedOverBy: string[] = [];
    let conv: Conversation | null = null;
    for (const party of ['buyer', 'seller'] as const) {
      if (!(party === 'buyer' ? t.info.buyer_pubkey : t.info.seller_pubkey)) continue;
      for (const m of await chat.history(this.conversation(t, party))) {
        const h = decodeChatKeyHandover(m.text);
        if (h && m.author !== this.key.publicKey) {
          handedOverBy.push(party);
          conv ??= conversationFromHandover(
            h,
            [t.info.buyer_pubkey, t.info.seller_pubkey].filter((x): x is string => !!x),
          );
        }
      }
    }
    if (!conv) return null;
    return { messages: await chat.history(conv), handedOverBy };
  }
}

/** Which parties' bonds a solver's decision slashes. */
export interface BondSlash {
  seller?: boolean;
  buyer?: boolean;
}

/** The decision's payload: null without slashing (what older nodes expect). */
function bondResolution(slash: BondSlash): Payload | null {
  if (!slash.seller && !slash.buyer) return null;
  return { bond_resolution: { slash_seller: slash.seller ?? false, slash_buyer: slash.buyer ?? false } };
}
