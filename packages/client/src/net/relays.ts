// The relay connection the SDK talks through. Any pool with these three operations will do: the
// SDK's own relay pool (src/relay/), or nostr-tools' SimplePool through `simplePool()` below.
import type { NostrEvent } from '@mostro/protocol';
import type { Filter } from 'nostr-tools/filter';
import { SimplePool } from 'nostr-tools/pool';
import { ClientError } from '../errors.ts';
import type { RelayPool as ResilientPool } from '../relay/index.ts';

export type { Filter };

export interface Subscription {
  close(): void;
}

export interface SubscribeHandlers {
  onevent(event: NostrEvent): void;
  /** All relays sent EOSE (or gave up): stored events are delivered, live ones follow. */
  oneose?(): void;
}

export interface RelayPool {
  /** Resolves when at least one relay accepted the event; rejects when none did. */
  publish(event: NostrEvent): Promise<void>;
  /** Events matching any filter, each event id once. */
  subscribe(filters: Filter[], handlers: SubscribeHandlers): Subscription;
  close(): void;
}

/**
 * The SDK's own relay pool (src/relay/: reconnect with backoff, resubscribe with `since`, one
 * delivery per event id) seen through the RelayPool interface. The default for every front end.
 */
export function fromResilientPool(pool: ResilientPool): RelayPool {
  return {
    async publish(event) {
      const results = await pool.publish(event);
      if (!results.some((r) => r.ok)) {
        const why = results.map((r) => `${r.url}: ${r.ok ? 'ok' : `${r.code} ${r.message}`}`).join('; ');
        throw new ClientError(
          'node_unreachable',
          `no relay accepted the event (${why || 'no relay configured'})`,
          'check that the relays are up and reachable (--relay / MOSTRO_RELAYS)',
        );
      }
    },
    subscribe(filters, handlers) {
      return pool.subscribe(filters, {
        onevent: (e) => handlers.onevent(e as NostrEvent),
        ...(handlers.oneose ? { oneose: handlers.oneose } : {}),
      });
    },
    close: () => pool.close(),
  };
}

/** A RelayPool over nostr-tools' SimplePool (browser-safe; in Node install a WebSocket first). */
export function simplePool(relays: string[], options: { eoseTimeoutMs?: number } = {}): RelayPool {
  if (relays.length === 0) {
    throw new ClientError(
      'no_relays',
      'no relay to connect to',
      'pass --relay ws://… (repeatable) or set MOSTRO_RELAYS',
    );
  }
  const pool = new SimplePool({ enableReconnect: true });
  return {
    async publish(event) {
      const results = await Promise.allSettled(pool.publish(relays, event as never));
      if (!results.some((r) => r.status === 'fulfilled')) {
        const reasons = results.map((r) =>
          r.status === 'rejected' ? String((r.reason as Error)?.message ?? r.reason) : 'ok',
        );
        throw new ClientError(
          'node_unreachable',
          `no relay accepted the event (${relays.join(', ')}: ${reasons.join('; ')})`,
          'check that the relays are up and reachable (--relay / MOSTRO_RELAYS)',
        );
      }
    },
    subscribe(filters, handlers) {
      const subs = filters.map((filter) => {
        let eose = false;
        return {
          get eose() {
            return eose;
          },
          closer: pool.subscribeMany(relays, filter, {
            maxWait: options.eoseTimeoutMs ?? 4000,
            onevent: (e) => handlers.onevent(e as NostrEvent),
            oneose: () => {
              eose = true;
              if (subs.every((s) => s.eose)) handlers.oneose?.();
            },
          }),
        };
      });
      return {
        close: () => {
          for (const s of subs) s.closer.close();
        },
      };
    },
    close() {
      pool.close(relays);
      pool.destroy?.();
    },
  };
}
