// One relay of the pool: a nostr-tools AbstractRelay per connection attempt, and the reconnect
// loop around it. nostr-tools' own reconnect is not used: it never retries when the first attempt
// fails, uses fixed delays without jitter, and resumes with `since = last created_at + 1`, which
// misses back-dated gift wraps. So each drop here ends the AbstractRelay and a fresh one is made
// after a jittered exponential delay; the pool re-subscribes on it (see pool.ts).
import { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { NostrEvent } from 'nostr-tools/pure';
import { type BackoffOptions, backoffDelay } from './backoff.ts';

export type RelayStatus = 'connecting' | 'connected' | 'down';

export type WebSocketImplementation = typeof WebSocket;

export type RelayConnectionOptions = {
  WebSocket: WebSocketImplementation;
  verifyEvent: (event: NostrEvent) => boolean;
  connectTimeoutMs: number;
  backoff: BackoffOptions;
  random: () => number;
  /** Called on every status change. */
  onStatus: (status: RelayStatus, detail: { attempt: number; error?: string }) => void;
  /** Called once per successful connection, with the live relay to subscribe on. */
  onConnected: (relay: AbstractRelay) => void;
  /** Called when a live connection is lost (not for failed attempts). */
  onDropped: (droppedAt: number) => void;
};

export class RelayConnection {
  status: RelayStatus = 'connecting';
  /** The live relay while `status === 'connected'`. */
  relay: AbstractRelay | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private settledWaiters: (() => void)[] = [];

  constructor(
    readonly url: string,
    private readonly options: RelayConnectionOptions,
  ) {}

  start(): void {
    void this.connect();
  }

  /** Resolves once the current attempt is over (connected or down). */
  settled(): Promise<void> {
    if (this.status !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const relay = this.relay;
    this.relay = undefined;
    relay?.close();
    this.setStatus('down', {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.setStatus('connecting', {});
    let relay: AbstractRelay;
    try {
      relay = new AbstractRelay(this.url, {
        verifyEvent: this.options.verifyEvent,
        websocketImplementation: this.options.WebSocket,
        enablePing: true,
        enableReconnect: false,
      });
    } catch (error) {
      this.fail(undefined, error);
      return;
    }
    relay.onnotice = () => {};
    // Before the connection is up, a failure also rejects connect() below, with a better reason.
    relay.onclose = () => {
      if (this.relay === relay) this.fail(relay, 'connection lost');
    };
    try {
      await relay.connect({ timeout: this.options.connectTimeoutMs });
    } catch (error) {
      this.fail(relay, error);
      return;
    }
    if (this.closed || relay.onclose === null || !relay.connected) {
      this.fail(relay, 'connection lost');
      return;
    }
    this.relay = relay;
    this.attempt = 0;
    this.setStatus('connected', {});
    this.options.onConnected(relay);
  }

  // Reached from a failed attempt or a lost connection, possibly twice for one relay (nostr-tools
  // reports a failed attempt both by rejecting and through onclose): only the first counts.
  private fail(relay: AbstractRelay | undefined, error: unknown): void {
    if (relay) {
      if (relay.onclose === null) return;
      relay.onclose = null;
      relay.close();
    }
    if (this.closed) return;
    const wasLive = relay !== undefined && this.relay === relay;
    if (wasLive) {
      this.relay = undefined;
      this.options.onDropped(Math.floor(Date.now() / 1000));
    }
    const delay = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.setStatus('down', { error: describe(error) });
    this.attempt++;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private setStatus(status: RelayStatus, detail: { error?: string }): void {
    const changed = this.status !== status;
    this.status = status;
    if (status !== 'connecting') {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (changed || detail.error) this.options.onStatus(status, { attempt: this.attempt, ...detail });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return 'connection failed';
}
