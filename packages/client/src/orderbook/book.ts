// A live order book: subscribes to a node's 38383 events, keeps the newest revision per order id
// and reports the entries matching a filter whenever they change.
import type { NostrEvent } from '@mostro/protocol';
import type { Relays, Subscription } from '../net/relays.ts';
import { parseOrderEvent } from './entry.ts';
import { isNewer, matchesFilter, type OrderBookEntry, type OrderFilter, sortEntries } from './filters.ts';

export class OrderBook {
  private readonly byId = new Map<string, OrderBookEntry>();

  constructor(private filter: OrderFilter = {}) {}

  /** Feeds one event; returns the entry when it is a new revision (older or foreign events: null). */
  add(event: NostrEvent, nodePubkey: string): OrderBookEntry | null {
    if (event.pubkey !== nodePubkey) return null;
    const e = parseOrderEvent(event);
    if (!e) return null;
    const have = this.byId.get(e.id);
    if (have && !isNewer(e, have)) return null;
    this.byId.set(e.id, e);
    return e;
  }

  setFilter(filter: OrderFilter): void {
    this.filter = filter;
  }

  /** Matching entries, newest first. */
  entries(): OrderBookEntry[] {
    return sortEntries([...this.byId.values()].filter((e) => matchesFilter(e, this.filter)));
  }

  get(id: string): OrderBookEntry | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /**
   * Subscribes through `pool`. `onChange` gets the changed entry (whether or not it still matches,
   * so a UI can remove it) after the initial load (`onLoad`).
   */
  subscribe(
    pool: Relays,
    nodePubkey: string,
    handlers: { onLoad?(entries: OrderBookEntry[]): void; onChange?(entry: OrderBookEntry, matches: boolean): void },
    since = Math.floor(Date.now() / 1000) - 14 * 86_400,
  ): Subscription {
    let loaded = false;
    return pool.subscribe([{ kinds: [38383], authors: [nodePubkey], since }], {
      onevent: (ev) => {
        const e = this.add(ev, nodePubkey);
        if (e && loaded) handlers.onChange?.(e, matchesFilter(e, this.filter));
      },
      oneose: () => {
        if (loaded) return;
        loaded = true;
        handlers.onLoad?.(this.entries());
      },
    });
  }
}
