// Request and reply: a message goes out from the right key in the node's transport, and the reply
// that answers it (matched by request id, action and order) comes back. Everything else arriving
// for that key meanwhile still goes through `handleIncoming`, so trades never miss a step.
import { type Message, type NostrEvent, publicKeyOf, type Transport } from '@mostro/protocol';
import { ClientError } from '../errors.ts';
import { buildEvent, type Incoming, type KeyPair, openEvent } from '../net/envelope.ts';
import { type Filter, publishOrFail, type Subscription } from '../net/relays.ts';
import { answers, type PendingRequest } from '../trade/replies.ts';
import { cantDoError } from './cant-do.ts';
import type { ClientCore, Reply, RequestOptions } from './core.ts';

const SECONDS_2_DAYS = 172_800;

function randomRequestId(): bigint {
  const b = new Uint32Array(2);
  crypto.getRandomValues(b);
  // 52 bits: exact in every JSON reader, a collision is out of reach within one session.
  return (BigInt(b[0] as number & 0xfffff) << 32n) | BigInt(b[1] as number);
}

/** A one-time key (for requests that speak for the identity, not for a trade). */
export function randomKey(): KeyPair {
  const secretKey = new Uint8Array(32);
  for (;;) {
    crypto.getRandomValues(secretKey);
    try {
      return { secretKey, publicKey: publicKeyOf(secretKey) };
    } catch {
      // out of range scalar: draw again
    }
  }
}

/** DM filters for replies to `keys` (both transports: a node answers in the one we used). */
export function dmFilters(node: string, keys: string[], since: number): Filter[] {
  return [
    { kinds: [14], authors: [node], '#p': keys, since },
    { kinds: [1059], '#p': keys, since: since - SECONDS_2_DAYS },
  ];
}

/** Opens an event with whichever of `keys` it is addressed to; only the node's messages count. */
export function openFromNode(node: string, event: NostrEvent, keys: KeyPair[]): Incoming | null {
  const p = event.tags.find((t) => t[0] === 'p')?.[1];
  for (const k of keys) {
    if (p !== undefined && p !== k.publicKey) continue;
    const m = openEvent(event, k.secretKey, node);
    if (m && m.sender === node && m.identity === node) return m;
  }
  return null;
}

/** Sends `message` from `key` in `transport`, mined to `pow` bits, and waits for its answer. */
export function sendRequest(
  c: ClientCore,
  wire: { transport: Transport; pow: number },
  message: Message,
  key: KeyPair,
  opts: RequestOptions,
): Promise<Reply> {
  const { transport, pow } = wire;
  message.kind.version = transport === 'nip44' ? 2 : 1;
  const requestId = randomRequestId();
  message.kind.request_id = requestId;
  const pending: PendingRequest = {
    action: message.kind.action,
    requestId,
    ...(message.kind.id !== undefined ? { id: message.kind.id } : {}),
    tradeIndex: message.kind.trade_index,
  };
  // Full private: no identity ever leaves the client (v1 seal by the trade key, v2 no proof).
  const identityKey = opts.identity ? c.session.identity() : null;
  const timeoutMs = opts.timeoutMs ?? c.timeoutMs;

  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    let sub: Subscription | null = null;
    const end = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub?.close();
      c.observer?.(null);
      fn();
    };
    const timer = setTimeout(() => end(() => reject(timeoutError(opts.what, timeoutMs, pow))), timeoutMs);
    c.observer?.({ waitingFor: opts.what, deadline: Date.now() + timeoutMs });
    let published = false;
    const publish = async () => {
      if (published) return;
      published = true;
      try {
        const event = buildEvent({
          transport,
          message,
          tradeKey: key,
          identityKey,
          recipient: c.node,
          pow,
          expiration: c.now() + 30 * 86_400,
        });
        await publishOrFail(c.pool, event);
        if (opts.expectNoReply) end(() => resolve({ message, createdAt: c.now(), eventId: event.id }));
      } catch (e) {
        end(() => reject(e));
      }
    };
    // Subscribe first, publish once the relays delivered what they had: the reply cannot be missed.
    sub = c.pool.subscribe(dmFilters(c.node, [key.publicKey], c.now() - 5), {
      onevent: (e) => {
        const incoming = openFromNode(c.node, e, [key]);
        if (!incoming) return;
        // What the relays had stored before we published cannot be the reply (an older message
        // about the same order would otherwise match by order id).
        const mayAnswer = published;
        void c.handleIncoming(incoming, e.id, key).then(() => {
          if (!mayAnswer || !answers(pending, incoming.message.kind)) opts.onOther?.(incoming);
          else {
            end(() => {
              const k = incoming.message.kind;
              if (k.action === 'cant-do') reject(cantDoError(k, opts.what));
              else resolve({ message: incoming.message, createdAt: incoming.createdAt, eventId: e.id });
            });
          }
        });
      },
      oneose: () => void publish(),
    });
    // Some pools never send EOSE for a filter they cannot serve: publish anyway after a moment.
    setTimeout(() => void publish(), 1500);
  });
}

function timeoutError(what: string, ms: number, pow: number): ClientError {
  const powHint =
    pow > 0
      ? ` The node demands proof of work (${pow} bits); this client mined it, so a drop for low PoW is unlikely.`
      : '';
  return new ClientError(
    'timeout',
    `no reply from the node within ${Math.round(ms / 1000)} s while waiting for ${what}.${powHint}`,
    'check that the node is running and reachable on these relays (mostro node), then retry; the node drops requests silently when they are stale, lack PoW or fail its checks',
  );
}
