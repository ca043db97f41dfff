// A pool of relays for production relay lists (browser and Node alike: the WebSocket class is a
// parameter). Publishes to every relay and reports each outcome; subscribes on every relay and
// delivers each event id once; reconnects with jittered exponential backoff and, on reconnect,
// asks each relay again only for the window that may have been missed.
import type { AbstractRelay, Subscription as RelaySubscription } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import { type NostrEvent, verifyEvent } from 'nostr-tools/pure';
import type { BackoffOptions } from './backoff.ts';
import { RelayConnection, type RelayStatus, type WebSocketImplementation } from './relay-connection.ts';
import { resumeFilters, resumeMarginFor } from './resume-filters.ts';
import { SeenIds } from './seen-ids.ts';

export type { RelayStatus, WebSocketImplementation };

export type RelayPoolOptions = {
  /** Relay URLs (ws:// or wss://). More can be added with `addRelay`. */
  relays: string[];
  /** WebSocket class. Default `globalThis.WebSocket`; in Node < 22 pass the `ws` package's class. */
  WebSocket?: WebSocketImplementation;
  /** Signature check for incoming events. Default nostr-tools `verifyEvent`. */
  verifyEvent?: (event: NostrEvent) => boolean;
  /** Give up on one connection attempt after this long. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long a relay has to answer OK to a publish. Default 10 000 ms. */
  publishTimeoutMs?: number;
  /** Reconnect delays. Defaults: 500 ms doubling up to 30 s, jittered into [d/2, d]. */
  backoff?: BackoffOptions;
  /** Event ids remembered per subscription for de-duplication. Default 10 000. */
  dedupeCapacity?: number;
  /** Randomness for the jitter (tests). Default Math.random. */
  random?: () => number;
};

export type StatusChange = {
  url: string;
  status: RelayStatus;
  /** Reconnect attempts since the last successful connection. */
  attempt: number;
  /** Why the relay went down, when it did. */
  error?: string;
};

export type PublishFailure = 'not-connected' | 'rejected' | 'timeout' | 'connection-lost';

export type PublishResult =
  | { url: string; ok: true; message: string }
  | { url: string; ok: false; code: PublishFailure; message: string };

export type SubscribeHandlers = {
  /** Each event id once per subscription, from whichever relay delivered it first (every copy with `everyCopy`). */
  onevent(event: NostrEvent, relayUrl: string): void;
  /** Once, when every relay has sent EOSE or is down. */
  oneose?(): void;
};

export type SubscribeOptions = {
  /**
   * How far before the last event seen (or the drop time) to ask again after a reconnect.
   * Default: 2 days + 5 min when the filters can match gift wraps or seals, else 5 min.
   */
  resumeMarginSeconds?: number;
  /** Event ids remembered for de-duplication. Default: the pool's `dedupeCapacity`. */
  dedupeCapacity?: number;
  /**
   * Every copy of an event, from every relay, for a subscriber that verifies signatures itself (off
   * the pool's thread) while the pool's `verifyEvent` lets events through: de-duplicating unverified
   * ids would let a forged copy from one relay hide the genuine event from another.
   */
  everyCopy?: boolean;
};

export interface PoolSubscription {
  close(): void;
}

/**
 * What code that talks to relays needs from a pool: `RelayPool` implements it, a test can fake it
 * in memory. Publishing never rejects; each relay's outcome is in the result (`acceptedByAny`).
 */
export interface Relays {
  publish(event: NostrEvent): Promise<PublishResult[]>;
  subscribe(filters: Filter[], handlers: SubscribeHandlers, options?: SubscribeOptions): PoolSubscription;
  close(): void;
}

/** Whether at least one relay stored the event. */
export function acceptedByAny(results: PublishResult[]): boolean {
  return results.some((r) => r.ok);
}

/** One line naming each relay's outcome, for an error or a log. */
export function describePublishResults(results: PublishResult[]): string {
  if (results.length === 0) return 'no relay configured';
  return results.map((r) => `${r.url}: ${r.ok ? 'ok' : `${r.code} ${r.message}`}`).join('; ');
}

type RelayState = {
  sub: RelaySubscription | undefined;
  eosed: boolean;
  /** Whether this relay has ever sent EOSE for this subscription: only then is resuming safe. */
  caughtUp: boolean;
  lastSeen: number | undefined;
  droppedAt: number | undefined;
};

class ActiveSubscription implements PoolSubscription {
  private readonly seen: SeenIds;
  private readonly perRelay = new Map<string, RelayState>();
  private eoseSent = false;
  closed = false;

  constructor(
    private readonly pool: RelayPool,
    readonly filters: Filter[],
    private readonly handlers: SubscribeHandlers,
    private readonly marginSeconds: number,
    dedupeCapacity: number,
    private readonly everyCopy = false,
  ) {
    this.seen = new SeenIds(dedupeCapacity);
  }

  attach(url: string, relay: AbstractRelay): void {
    if (this.closed) return;
    const state = this.stateOf(url);
    state.sub?.close();
    state.eosed = false;
    const filters =
      state.caughtUp && state.droppedAt !== undefined
        ? resumeFilters(this.filters, {
            lastSeen: state.lastSeen,
            droppedAt: state.droppedAt,
            marginSeconds: this.marginSeconds,
          })
        : this.filters.map((f) => ({ ...f }));
    const sub = relay.subscribe(filters, {
      alreadyHaveEvent: (id) => !this.everyCopy && this.seen.has(id),
      onevent: (event) => this.deliver(url, event),
      oneose: () => {
        state.eosed = true;
        state.caughtUp = true;
        this.checkEose();
      },
      // The relay ended the subscription (CLOSED) or the connection went: either way this relay
      // will send nothing more for now, so it must not hold back the pool's EOSE.
      onclose: () => {
        if (state.sub === sub) state.sub = undefined;
        if (!state.eosed) {
          state.eosed = true;
          this.checkEose();
        }
      },
    });
    state.sub = sub;
  }

  dropped(url: string, droppedAt: number): void {
    const state = this.stateOf(url);
    state.sub = undefined;
    state.eosed = false;
    state.droppedAt = droppedAt;
  }

  forget(url: string): void {
    this.perRelay.get(url)?.sub?.close();
    this.perRelay.delete(url);
    this.checkEose();
  }

  checkEose(): void {
    if (this.eoseSent || this.closed) return;
    const done = this.pool.urls.every((url) => this.perRelay.get(url)?.eosed || this.pool.status(url) === 'down');
    if (!done) return;
    this.eoseSent = true;
    this.handlers.oneose?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const state of this.perRelay.values()) state.sub?.close();
    this.perRelay.clear();
    this.pool.unregister(this);
  }

  private deliver(url: string, event: NostrEvent): void {
    if (this.closed) return;
    const state = this.stateOf(url);
    if (state.lastSeen === undefined || event.created_at > state.lastSeen) state.lastSeen = event.created_at;
    if (!this.seen.add(event.id) && !this.everyCopy) return;
    try {
      this.handlers.onevent(event, url);
    } catch (error) {
      // A throwing handler must not take the connection down with it.
      console.error('relay pool: onevent handler threw', error);
    }
  }

  private stateOf(url: string): RelayState {
    let state = this.perRelay.get(url);
    if (!state) {
      state = { sub: undefined, eosed: false, caughtUp: false, lastSeen: undefined, droppedAt: undefined };
      this.perRelay.set(url, state);
    }
    return state;
  }
}

export class RelayPool implements Relays {
  private readonly connections = new Map<string, RelayConnection>();
  private readonly subscriptions = new Set<ActiveSubscription>();
  private readonly statusListeners = new Set<(change: StatusChange) => void>();
  private readonly WebSocket: WebSocketImplementation;
  private closed = false;

  constructor(private readonly options: RelayPoolOptions) {
    const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketImplementation }).WebSocket;
    if (!WebSocketClass) throw new TypeError('RelayPool: no WebSocket implementation (pass options.WebSocket)');
    this.WebSocket = WebSocketClass;
    for (const url of options.relays) this.addRelay(url);
  }

  /** The relays in the pool, normalised as given to `addRelay`. */
  get urls(): string[] {
    return [...this.connections.keys()];
  }

  status(url: string): RelayStatus | undefined {
    return this.connections.get(url)?.status;
  }

  statuses(): Record<string, RelayStatus> {
    return Object.fromEntries([...this.connections].map(([url, c]) => [url, c.status]));
  }

  /** Listen to relay status changes; returns the function that stops listening. */
  onStatus(listener: (change: StatusChange) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves when every relay has finished its current connection attempt (connected or down). */
  async ready(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.settled()));
  }

  addRelay(url: string): void {
    if (this.closed || this.connections.has(url)) return;
    if (!/^wss?:\/\//i.test(url)) throw new TypeError(`RelayPool: not a websocket URL: ${url}`);
    const connection = new RelayConnection(url, {
      WebSocket: this.WebSocket,
      verifyEvent: this.options.verifyEvent ?? verifyEvent,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      backoff: this.options.backoff ?? {},
      random: this.options.random ?? Math.random,
      onStatus: (status, detail) => {
        this.emitStatus({ url, status, ...detail });
        if (status === 'down') for (const sub of this.subscriptions) sub.checkEose();
      },
      onConnected: (relay) => {
        relay.publishTimeout = this.options.publishTimeoutMs ?? 10_000;
        for (const sub of this.subscriptions) sub.attach(url, relay);
      },
      onDropped: (droppedAt) => {
        for (const sub of this.subscriptions) sub.dropped(url, droppedAt);
      },
    });
    this.connections.set(url, connection);
    connection.start();
  }

  removeRelay(url: string): void {
    const connection = this.connections.get(url);
    if (!connection) return;
    this.connections.delete(url);
    connection.close();
    for (const sub of this.subscriptions) sub.forget(url);
  }

  /**
   * Sends the event to every relay. A relay still connecting is waited for; one that is down
   * fails at once. Never rejects: each relay's outcome is in the result.
   */
  async publish(event: NostrEvent): Promise<PublishResult[]> {
    return Promise.all([...this.connections.values()].map((c) => this.publishTo(c, event)));
  }

  subscribe(filters: Filter[], handlers: SubscribeHandlers, options: SubscribeOptions = {}): PoolSubscription {
    if (filters.length === 0) throw new TypeError('RelayPool.subscribe: at least one filter is needed');
    const sub = new ActiveSubscription(
      this,
      filters.map((f) => ({ ...f })),
      handlers,
      options.resumeMarginSeconds ?? resumeMarginFor(filters),
      options.dedupeCapacity ?? this.options.dedupeCapacity ?? 10_000,
      options.everyCopy,
    );
    if (this.closed) {
      sub.closed = true;
      return sub;
    }
    this.subscriptions.add(sub);
    for (const connection of this.connections.values()) {
      if (connection.status === 'connected' && connection.relay) sub.attach(connection.url, connection.relay);
    }
    sub.checkEose();
    return sub;
  }

  /** @internal called by a subscription's close() */
  unregister(sub: ActiveSubscription): void {
    this.subscriptions.delete(sub);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sub of [...this.subscriptions]) sub.close();
    for (const connection of this.connections.values()) connection.close();
    this.statusListeners.clear();
  }

  private async publishTo(connection: RelayConnection, event: NostrEvent): Promise<PublishResult> {
    const url = connection.url;
    await connection.settled();
    const relay = connection.relay;
    if (connection.status !== 'connected' || !relay) {
      return { url, ok: false, code: 'not-connected', message: `${url} is ${connection.status}` };
    }
    try {
      const message = await relay.publish(event);
      return { url, ok: true, message: message ?? '' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { url, ok: false, code: publishFailureCode(error, message), message };
    }
  }

  private emitStatus(change: StatusChange): void {
    for (const listener of this.statusListeners) {
      try {
        listener(change);
      } catch (error) {
        console.error('relay pool: status listener threw', error);
      }
    }
  }
}

// nostr-tools reports every publish failure as a plain Error; its messages tell them apart.
function publishFailureCode(error: unknown, message: string): PublishFailure {
  if (message === 'publish timed out') return 'timeout';
  if (error instanceof Error && error.name === 'SendingOnClosedConnection') return 'connection-lost';
  if (/^relay connection|^websocket closed/.test(message)) return 'connection-lost';
  return 'rejected';
}
