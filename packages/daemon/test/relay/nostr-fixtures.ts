// Shared by the relay tests: signed events and a nostr-tools client on the `ws` implementation.

import type { Filter } from 'nostr-tools/filter';
import { finalizeEvent, generateSecretKey, getPublicKey, type NostrEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);

export const now = () => Math.floor(Date.now() / 1000);

export function keypair() {
  const secret = generateSecretKey();
  return { secret, pubkey: getPublicKey(secret) };
}

export function signed(
  secret: Uint8Array,
  template: { kind: number; tags?: string[][]; content?: string; created_at?: number },
): NostrEvent {
  return finalizeEvent(
    {
      kind: template.kind,
      tags: template.tags ?? [],
      content: template.content ?? '',
      created_at: template.created_at ?? now(),
    },
    secret,
  );
}

export const connect = (url: string) => Relay.connect(url);

/** Stored events matching the filters, collected until EOSE. */
export function query(relay: Relay, filters: Filter[]): Promise<NostrEvent[]> {
  return new Promise((resolve) => {
    const events: NostrEvent[] = [];
    const sub = relay.subscribe(filters, {
      onevent: (event) => events.push(event),
      oneose: () => {
        sub.close();
        resolve(events);
      },
    });
  });
}

/** Resolves with the first event a live subscription receives that satisfies `accept`. */
export function nextEvent(
  relay: Relay,
  filters: Filter[],
  accept: (event: NostrEvent) => boolean = () => true,
): { eose: Promise<void>; event: Promise<NostrEvent>; close(): void } {
  let onEose!: () => void;
  let onEvent!: (event: NostrEvent) => void;
  const eose = new Promise<void>((resolve) => {
    onEose = resolve;
  });
  const event = new Promise<NostrEvent>((resolve) => {
    onEvent = resolve;
  });
  const sub = relay.subscribe(filters, {
    onevent: (e) => {
      if (accept(e)) onEvent(e);
    },
    oneose: onEose,
  });
  return { eose, event, close: () => sub.close() };
}

/** A raw websocket for frames nostr-tools would never send. */
export function rawSocket(
  url: string,
): Promise<{ send(frame: string | Buffer): void; next(): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const inbox: unknown[] = [];
    const waiters: ((message: unknown) => void)[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else inbox.push(message);
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        send: (frame) => ws.send(frame),
        next: () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((r) => waiters.push(r))),
        close: () => ws.close(),
      }),
    );
  });
}
