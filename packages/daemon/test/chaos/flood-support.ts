// Tools of the chaos tests: junk from fresh keys, signed before the flood starts and pushed at a
// relay over several raw connections as fast as it acknowledges; honest requests mined to the PoW
// the node advertises right now, rebuilt (new id, fresh PoW) when no answer comes.
import { newMessage, type SmallOrder, signEvent, wasmSecp, wrapMessage } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { generateSecretKey } from 'nostr-tools/pure';
import WebSocket from 'ws';
import { queryRelay, tag } from '../support/relay-query.ts';

export const junkOrder = (): SmallOrder => ({
  kind: 'sell',
  status: 'pending',
  amount: 0,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 10,
  payment_method: 'junk',
  premium: 0,
  created_at: 0,
  expires_at: null,
});

/** `count` kind-14 events for `node` from fresh keys, pow 0: mostly undecryptable, some real orders. */
export function signJunk(node: string, count: number): NostrEvent[] {
  const now = Math.floor(Date.now() / 1000);
  const events: NostrEvent[] = [];
  for (let i = 0; i < count; i++) {
    const key = generateSecretKey();
    if (i % 10 === 0) {
      const message = newMessage('order', { action: 'new-order', trade_index: null, payload: { order: junkOrder() } });
      events.push(
        wrapMessage({
          transport: 'nip44',
          message,
          tradeKey: key,
          identityKey: null,
          recipient: node,
          secp: wasmSecp,
        }) as NostrEvent,
      );
    } else {
      const content = Buffer.from(generateSecretKey()).toString('base64').repeat(4);
      events.push(
        signEvent({ kind: 14, tags: [['p', node]], content, created_at: now }, key, { secp: wasmSecp }) as NostrEvent,
      );
    }
  }
  return events;
}

/** Publishes `events` over `connections` sockets, each waiting for the relay's OK before the next. */
export async function flood(url: string, events: NostrEvent[], connections = 4): Promise<{ accepted: number }> {
  let accepted = 0;
  let next = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(url);
      const send = () => {
        const event = events[next++];
        if (!event) {
          ws.close();
          resolve();
          return;
        }
        ws.send(JSON.stringify(['EVENT', event]));
      };
      ws.on('open', send);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame[0] !== 'OK') return;
        if (frame[2] === true) accepted++;
        send();
      });
      ws.on('error', () => resolve());
      ws.on('close', () => resolve());
    });
  await Promise.all(Array.from({ length: connections }, one));
  return { accepted };
}

/** The first-contact PoW of the node's newest info event. */
export async function advertisedPow(relays: string[], node: string): Promise<number> {
  const events = await queryRelay(relays, { kinds: [38385], authors: [node] });
  const newest = events.sort((a, b) => b.created_at - a.created_at)[0];
  return Number((newest && tag(newest, 'pow_first_contact')?.[1]) ?? 0);
}
