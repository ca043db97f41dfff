// Every message the node sends to a user goes through here: stamped with the version of the
// recipient's transport, wrapped with the node key, published. Messages to one recipient keep their
// order (a per-recipient chain); recipients do not wait for each other, and there is no fixed
// throttle (the reference sends one reply per 250 ms per queue).
import type { Message, Transport } from '@mostro/protocol';
import { TRANSPORT_VERSION } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';

export interface Recipient {
  pubkey: string;
  transport: Transport;
}

export interface OutboxDeps {
  /** Wraps `message` from the node to `to` (NIP-59 or kind 14). */
  wrap(to: Recipient, message: Message): Promise<NostrEvent>;
  publish(event: NostrEvent): Promise<void>;
  log(line: string, detail?: unknown): void;
}

export interface Outbox {
  /**
   * Queues a message. Resolves as soon as it is queued: a handler never waits for relays, so one
   * slow relay cannot stall the intake. Delivery order per recipient is kept.
   */
  send(to: Recipient, message: Message): Promise<void>;
  /** Resolves when everything queued so far has been published (tests, shutdown). */
  drain(): Promise<void>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const tails = new Map<string, Promise<void>>();

  async function deliver(to: Recipient, message: Message): Promise<void> {
    const stamped: Message = {
      wrapper: message.wrapper,
      kind: { ...message.kind, version: TRANSPORT_VERSION[to.transport] },
    };
    try {
      const event = await deps.wrap(to, stamped);
      await deps.publish(event);
    } catch (error) {
      deps.log(`outbox: could not deliver ${message.kind.action} to ${to.pubkey.slice(0, 8)}`, error);
    }
  }

  return {
    send(to, message) {
      const key = `${to.pubkey}:${to.transport}`;
      const next = (tails.get(key) ?? Promise.resolve()).then(() => deliver(to, message));
      tails.set(key, next);
      void next.finally(() => {
        if (tails.get(key) === next) tails.delete(key);
      });
      return Promise.resolve();
    },
    async drain() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
