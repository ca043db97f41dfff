// A scripted Mostro user for node tests: derives keys from a mnemonic, sends protocol messages in
// either transport and privacy mode through a real relay, and collects the node's replies.

import type { PoolSubscription, RelayPool } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import {
  type Action,
  deriveTradeKey,
  generateMnemonic,
  type Message,
  type NewMessageFields,
  newMessage,
  type NostrEvent as ProtocolEvent,
  type Transport,
  unwrapMessage,
  wrapMessage,
  wrapperForAction,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';

export interface Received {
  to: string;
  transport: Transport;
  message: Message;
  event: NostrEvent;
}

export interface TestUserOptions {
  relays: string[];
  nodePubkey: string;
  transport?: Transport;
  /** Full private mode: never reveal the identity key. */
  fullPrivacy?: boolean;
  mnemonic?: string;
}

let requestCounter = 1000n;

export class TestUser {
  readonly mnemonic: string;
  readonly transport: Transport;
  readonly fullPrivacy: boolean;
  readonly identity: ReturnType<typeof deriveTradeKey>;
  readonly inbox: Received[] = [];
  private readonly pool: RelayPool;
  private readonly keys = new Map<string, Uint8Array>();
  private subscription: PoolSubscription | null = null;
  private waiters: (() => void)[] = [];
  lastIndex = 0;

  constructor(private readonly options: TestUserOptions) {
    this.mnemonic = options.mnemonic ?? generateMnemonic();
    this.transport = options.transport ?? 'nip44';
    this.fullPrivacy = options.fullPrivacy ?? false;
    this.identity = deriveTradeKey(this.mnemonic, 0);
    this.pool = nodeRelayPool({ relays: options.relays });
    this.keys.set(this.identity.publicKey, this.identity.secretKey);
  }

  /** Derives (and listens on) trade key `index`; `next()` takes the next unused one. */
  tradeKey(index: number): ReturnType<typeof deriveTradeKey> {
    const key = deriveTradeKey(this.mnemonic, index);
    if (!this.keys.has(key.publicKey)) {
      this.keys.set(key.publicKey, key.secretKey);
      this.resubscribe();
    }
    return key;
  }

  next(): { index: number; key: ReturnType<typeof deriveTradeKey> } {
    this.lastIndex += 1;
    return { index: this.lastIndex, key: this.tradeKey(this.lastIndex) };
  }

  async listen(): Promise<void> {
    this.resubscribe();
    await this.pool.ready();
  }

  private resubscribe(): void {
    this.subscription?.close();
    const pubkeys = [...this.keys.keys()];
    this.subscription = this.pool.subscribe(
      [
        { kinds: [14], authors: [this.options.nodePubkey], '#p': pubkeys, limit: 0 },
        { kinds: [1059], '#p': pubkeys, limit: 0 },
      ],
      { onevent: (event) => this.receive(event) },
    );
  }

  private receive(event: NostrEvent): void {
    const to = event.tags.find((t) => t[0] === 'p')?.[1];
    const sk = to ? this.keys.get(to) : undefined;
    if (!to || !sk) return;
    const result = unwrapMessage(event as ProtocolEvent, sk, { from: this.options.nodePubkey });
    if (!result?.ok) return;
    this.inbox.push({ to, transport: result.transport, message: result.message, event });
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Builds, wraps and publishes a message from trade key `tradeIndex` (0 = the identity key). */
  async send(
    tradeIndex: number,
    fields: Omit<NewMessageFields, 'request_id'> & { request_id?: bigint | null },
    options: { transport?: Transport; pow?: number; wrapper?: Message['wrapper']; createdAt?: number } = {},
  ): Promise<{ event: NostrEvent; requestId: bigint | null }> {
    const transport = options.transport ?? this.transport;
    const requestId = fields.request_id === undefined ? requestCounter++ : fields.request_id;
    const tradeIndexField = this.fullPrivacy ? null : (fields.trade_index ?? null);
    const message = newMessage(options.wrapper ?? wrapperForAction(fields.action, fields.payload), {
      ...fields,
      request_id: requestId,
      trade_index: tradeIndexField,
      version: transport === 'nip44' ? 2 : 1,
    });
    const key = tradeIndex === 0 ? this.identity : this.tradeKey(tradeIndex);
    const event = wrapMessage({
      transport,
      message,
      tradeKey: key.secretKey,
      identityKey: this.fullPrivacy ? null : this.identity.secretKey,
      recipient: this.options.nodePubkey,
      ...(options.pow ? { pow: options.pow } : {}),
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    }) as NostrEvent;
    await this.publish(event);
    return { event, requestId };
  }

  async publish(event: NostrEvent): Promise<void> {
    const results = await this.pool.publish(event);
    if (!results.some((r) => r.ok)) throw new Error(`no relay accepted ${event.id}: ${JSON.stringify(results)}`);
  }

  /** Waits for a message matching `match` that was not consumed before; consumes it. */
  async waitFor(match: Action | ((r: Received) => boolean), timeoutMs = 5000): Promise<Received> {
    const predicate = typeof match === 'string' ? (r: Received) => r.message.kind.action === match : match;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.inbox.findIndex(predicate);
      if (at >= 0) return this.inbox.splice(at, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.inbox.map((r) => r.message.kind.action).join(', ') || 'nothing';
        throw new Error(`timed out waiting for ${typeof match === 'string' ? match : 'a message'}; inbox: ${seen}`);
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** Asserts nothing arrives within `ms` (for silent drops), returning what did. */
  async quiet(ms = 700): Promise<Received[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.inbox.splice(0);
  }

  close(): void {
    this.subscription?.close();
    this.pool.close();
  }
}
