// Node discovery: what the node publishes about itself on the relays (info 38385, relay list
// 10002, rates 30078) and its order events (38383), read as stored events until EOSE.
import type { NostrEvent, Transport } from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import type { Filter, Relays, Subscription } from '../net/relays.ts';
import { type NodeInfo, parseNodeInfo, parseRates, parseRelayList } from '../node/info.ts';
import { type OrderBookEntry, parseOrderEvent } from '../orderbook/index.ts';
import type { WaitObserver } from './core.ts';

/** Stored events matching the filters, until every relay said EOSE (or `timeoutMs`). */
export function queryStored(pool: Relays, filters: Filter[], timeoutMs: number): Promise<NostrEvent[]> {
  return new Promise((resolve) => {
    const out = new Map<string, NostrEvent>();
    let sub: Subscription | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub?.close();
      resolve([...out.values()]);
    };
    const timer = setTimeout(finish, timeoutMs);
    sub = pool.subscribe(filters, { onevent: (e) => out.set(e.id, e), oneose: finish });
    if (done) sub.close();
  });
}

/** The node raises its first-contact PoW under load and republishes its info: re-read it this often. */
const POW_INFO_MAX_AGE_MS = 30_000;

export class NodeDirectory {
  private infoCache: NodeInfo | null = null;
  private infoFetchedAtMs = 0;

  constructor(
    private readonly pool: Relays,
    private readonly node: string,
    private readonly timeoutMs: number,
    private readonly observer: () => WaitObserver | null,
  ) {}

  /** Stored events matching the filters, until every relay said EOSE (or `timeoutMs`). */
  query(filters: Filter[], timeoutMs = this.timeoutMs): Promise<NostrEvent[]> {
    return queryStored(this.pool, filters, timeoutMs);
  }

  /** The node's 38385 info (cached after the first fetch). */
  async info(refresh = false): Promise<NodeInfo> {
    if (this.infoCache && !refresh) return this.infoCache;
    this.observer()?.({ waitingFor: `the node's info event (kind 38385)`, deadline: Date.now() + this.timeoutMs });
    const events = await this.query([{ kinds: [38385], authors: [this.node], '#d': [this.node] }]);
    this.observer()?.(null);
    const newest = events
      .map(parseNodeInfo)
      .filter((i): i is NodeInfo => i !== null && i.pubkey === this.node)
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!newest) {
      throw new ClientError(
        'node_unreachable',
        `no info event (kind 38385) from node ${this.node.slice(0, 12)}… on the relays`,
        'check the node pubkey (--node / MOSTRO_NODE) and that the node publishes to these relays (--relay / MOSTRO_RELAYS)',
      );
    }
    this.infoCache = newest;
    this.infoFetchedAtMs = Date.now();
    return newest;
  }

  /** The transport the node announces, unless one is forced. */
  async transport(forced: Transport | null): Promise<Transport> {
    return forced ?? (await this.info()).transport;
  }

  /**
   * The proof of work to mine for the node. A forced transport still follows the node's demand
   * (no info at all: nothing to mine for).
   */
  async powFor(transport: Transport): Promise<number> {
    const stale = this.infoCache !== null && Date.now() - this.infoFetchedAtMs > POW_INFO_MAX_AGE_MS;
    const info = await this.info(stale).catch(() => this.infoCache);
    if (!info) return 0;
    // v2: a trade key stays a "first contact" for the node until its active-key cache refreshes
    // (up to a minute), so every event of a trade key is mined at the first-contact difficulty.
    return transport === 'nip44' ? Math.max(info.pow, info.powFirstContact) : info.pow;
  }

  async relayList(): Promise<string[]> {
    const events = await this.query([{ kinds: [10002], authors: [this.node] }]);
    const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
    return newest ? parseRelayList(newest) : [];
  }

  async rates(): Promise<Record<string, number>> {
    const events = await this.query([{ kinds: [30078], authors: [this.node], '#d': ['mostro-rates'] }]);
    const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
    return newest ? parseRates(newest) : {};
  }

  /** Order events (kind 38383) of this node, newest revision per order. */
  orderFilter(since?: number): Filter {
    return { kinds: [38383], authors: [this.node], ...(since !== undefined ? { since } : {}) };
  }

  async orderEvents(since: number): Promise<OrderBookEntry[]> {
    return (await this.query([this.orderFilter(since)]))
      .map(parseOrderEvent)
      .filter((e): e is OrderBookEntry => e !== null);
  }
}
