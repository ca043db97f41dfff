// Every message the node sends to a user, and every event it publishes, goes through here: it is
// written to the outbox table at once (synchronously, so a caller inside `transaction()` commits it
// together with the state change that causes it) and delivered later by the outbox delivery
// (publish/delivery.ts), which retries until a relay acknowledges it and resumes after a restart.
// Messages to one recipient keep their order (one lane per recipient and transport).
import type { Message, Transport } from '@mostro/protocol';
import { serializeMessage, TRANSPORT_VERSION } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { clearOutboxLane, enqueueOutbox } from '../db/outbox.ts';

export interface Recipient {
  pubkey: string;
  transport: Transport;
}

export interface Outbox {
  /**
   * Queues a message: the row is written before this returns (the promise is already resolved), so
   * a handler never waits for relays and a crash after the state change cannot lose the message.
   */
  send(to: Recipient, message: Message): Promise<void>;
  /** Queues one of the node's own signed events; a newer replaceable event supersedes an unsent one. */
  event(event: NostrEvent): void;
  /** Resolves when nothing due is left to attempt (tests, shutdown); rows waiting for a retry stay. */
  drain(): Promise<void>;
}

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  /** Tells the delivery that a row is there. */
  wake(): void;
  drain(): Promise<void>;
}

export const dmLane = (to: Recipient): string => `dm:${to.pubkey}:${to.transport}`;

/** Replaceable and addressable events share a lane per (kind, d): only the newest is worth sending. */
export function eventLane(event: NostrEvent): string {
  const k = event.kind;
  if (k === 0 || k === 3 || (k >= 10_000 && k < 20_000)) return `event:${k}`;
  if (k >= 30_000 && k < 40_000) return `event:${k}:${event.tags.find((t) => t[0] === 'd')?.[1] ?? ''}`;
  return `event:${event.id}`;
}

export const isReplaceableLane = (lane: string, event: NostrEvent): boolean => lane !== `event:${event.id}`;

export function createOutbox(deps: OutboxDeps): Outbox {
  return {
    send(to, message) {
      // Stamped with the recipient transport's version here, so the stored row is what is sent.
      const stamped: Message = {
        wrapper: message.wrapper,
        kind: { ...message.kind, version: TRANSPORT_VERSION[to.transport] },
      };
      enqueueOutbox(deps.db, {
        lane: dmLane(to),
        recipient: to.pubkey,
        transport: to.transport,
        message: serializeMessage(stamped),
        queuedAt: deps.clock.now(),
        nowMs: Date.now(),
      });
      deps.wake();
      return Promise.resolve();
    },
    event(event) {
      const lane = eventLane(event);
      if (isReplaceableLane(lane, event)) clearOutboxLane(deps.db, lane);
      enqueueOutbox(deps.db, { lane, event: JSON.stringify(event), queuedAt: deps.clock.now(), nowMs: Date.now() });
      deps.wake();
    },
    drain: () => deps.drain(),
  };
}
