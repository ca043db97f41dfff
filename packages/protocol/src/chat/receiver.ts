// Stateful receiver for one conversation: the full §8.2 order including the outer-id LRU, the
// per-conversation rate budget and the durable inner-id store. Works for both formats.
import type { SecpBackend } from '../crypto/secp.ts';
import type { ChatChannel } from './channel.ts';
import { openChatWith } from './open.ts';
import { type ChatResult, MemorySeenStore, type SeenStore } from './types.ts';

export interface ChatReceiverOptions {
  channel: ChatChannel;
  /** Peer chat: {buyer trade key, seller trade key}; solver chat: {party trade key, solver pubkey}. */
  allowedSigners: readonly string[];
  /** Durable inner-id store (step 12); defaults to memory, which does not survive a restart. */
  seen?: SeenStore;
  /** Outer ids remembered (step 5). */
  outerLruSize?: number;
  /** Token bucket (step 6): refill per minute and burst capacity. */
  ratePerMinute?: number;
  burst?: number;
  /** Clock in unix seconds (tests inject one). */
  clock?: () => number;
  secp?: SecpBackend;
}

export class ChatReceiver {
  readonly #opts: ChatReceiverOptions;
  readonly #seen: SeenStore;
  readonly #outer = new Map<string, true>();
  readonly #outerMax: number;
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(opts: ChatReceiverOptions) {
    this.#opts = opts;
    this.#seen = opts.seen ?? new MemorySeenStore();
    this.#outerMax = opts.outerLruSize ?? 4096;
    this.#rate = opts.ratePerMinute ?? 30;
    this.#burst = opts.burst ?? 60;
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  #now(): number {
    return this.#opts.clock ? this.#opts.clock() : Date.now() / 1000;
  }

  #takeBudget(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#rate) / 60);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #rememberOuter(id: string): void {
    this.#outer.set(id, true);
    if (this.#outer.size > this.#outerMax) this.#outer.delete(this.#outer.keys().next().value as string);
  }

  /** Validate one event. Accepted inner ids are recorded durably; never throws. */
  receive(event: unknown): ChatResult {
    const result = openChatWith(
      event,
      this.#opts.channel,
      { allowedSigners: this.#opts.allowedSigners, now: Math.floor(this.#now()), secp: this.#opts.secp },
      {
        seenOuter: (id) => this.#outer.has(id),
        takeBudget: () => this.#takeBudget(),
        seenInner: (id) => this.#seen.has(id),
      },
    );
    if (result.ok) {
      // Remember ids only once the event is authenticated, so a forged copy cannot censor the real one.
      this.#rememberOuter(result.message.outerId);
      this.#seen.add(result.message.innerId);
    }
    return result;
  }
}
