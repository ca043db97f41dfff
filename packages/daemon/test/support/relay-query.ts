// One-shot relay query for tests: every stored event matching the filter, then EOSE.
import { nodeRelayPool } from '@mostro/nostr/node';
import type { Filter, NostrEvent } from 'nostr-tools';

export async function queryRelay(relays: string[], filter: Filter, timeoutMs = 5000): Promise<NostrEvent[]> {
  const pool = nodeRelayPool({ relays });
  try {
    return await new Promise<NostrEvent[]>((resolve, reject) => {
      const events: NostrEvent[] = [];
      const timer = setTimeout(() => reject(new Error('relay query timed out')), timeoutMs);
      pool.subscribe([filter], {
        onevent: (e) => events.push(e),
        oneose: () => {
          clearTimeout(timer);
          resolve(events);
        },
      });
    });
  } finally {
    pool.close();
  }
}

export const tag = (event: NostrEvent, name: string): string[] | undefined => event.tags.find((t) => t[0] === name);

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
