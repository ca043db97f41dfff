// A relay in memory for the SDK's tests: stores every event, serves stored ones then live ones,
// EOSE in between; `onPublish` lets a test play the node.
import { type Message, type NostrEvent, wrapMessage } from '@mostro/protocol';
import { matchFilter } from 'nostr-tools/filter';
import type { Filter, Relays, SubscribeHandlers } from '../src/net/relays.ts';

export class MemoryRelay implements Relays {
  readonly events: NostrEvent[] = [];
  private subs = new Set<{ filters: Filter[]; h: SubscribeHandlers }>();
  onPublish: (e: NostrEvent) => void = () => {};
  async publish(e: NostrEvent) {
    this.events.push(e);
    for (const s of this.subs) if (s.filters.some((f) => matchFilter(f, e as never))) s.h.onevent(e, 'memory');
    this.onPublish(e);
    return [{ url: 'memory', ok: true as const, message: '' }];
  }
  subscribe(filters: Filter[], h: SubscribeHandlers) {
    const s = { filters, h };
    this.subs.add(s);
    queueMicrotask(() => {
      for (const e of this.events) if (filters.some((f) => matchFilter(f, e as never))) h.onevent(e, 'memory');
      h.oneose?.();
    });
    return { close: () => this.subs.delete(s) };
  }
  close() {}
}

/** The node's reply to `recipient`, as a kind-14 message from the node key, published on `relay`. */
export function replyAsNode(relay: Relays, nodeSk: Uint8Array, recipient: string, message: Message): void {
  void relay.publish(
    wrapMessage({ transport: 'nip44', message, tradeKey: nodeSk, identityKey: nodeSk, recipient, signed: false }),
  );
}
