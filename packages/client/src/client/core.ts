// What the concerns of MostroClient (discovery, requests, trade actions, following trades,
// restore) need from each other. MostroClient implements it; each concern file is a set of
// functions over it, so none of them imports another or the class.
import type { Message, NostrEvent } from '@mostro/protocol';
import type { Incoming, KeyPair } from '../net/envelope.ts';
import type { Filter, Relays, Subscription } from '../net/relays.ts';
import type { NodeInfo } from '../node/info.ts';
import type { OrderBookEntry } from '../orderbook/index.ts';
import type { Session } from '../session/session.ts';
import type { PrivacyMode } from '../session/types.ts';
import type { TradeStep } from '../trade/machine.ts';
import type { TradeRecord } from '../trade/types.ts';

export interface Reply {
  message: Message;
  createdAt: number;
  eventId: string;
}

/** Progress callback for long waits (CLI spinners). */
export type WaitObserver = (state: { waitingFor: string; deadline: number } | null) => void;

export interface RequestOptions {
  /** Prove the session identity (reputation mode only). */
  identity: boolean;
  what: string;
  expectNoReply?: boolean;
  timeoutMs?: number;
  /** Called with every other node message for this key while waiting. */
  onOther?: (incoming: Incoming) => void;
}

export interface ClientCore {
  readonly session: Session;
  readonly pool: Relays;
  /** Node pubkey, lowercase hex. */
  readonly node: string;
  /** Privacy of new trades. */
  readonly privacy: PrivacyMode;
  readonly timeoutMs: number;
  observer: WaitObserver | null;
  now(): number;
  query(filters: Filter[], timeoutMs?: number): Promise<NostrEvent[]>;
  info(refresh?: boolean): Promise<NodeInfo>;
  orderEvents(since?: number): Promise<OrderBookEntry[]>;
  request(message: Message, key: KeyPair, opts: RequestOptions): Promise<Reply>;
  dmFilters(keys: string[], since: number): Filter[];
  open(event: NostrEvent, keys: KeyPair[]): Incoming | null;
  handleIncoming(incoming: Incoming, eventId: string, key: KeyPair): Promise<TradeStep | null>;
  trade(orderId: string): TradeRecord;
  trades(): TradeRecord[];
  watch(onStep: (trade: TradeRecord, step: TradeStep) => void, opts?: { since?: number }): Promise<Subscription>;
  lastTradeIndex(): Promise<number>;
}
