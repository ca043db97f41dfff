// v2 anti-spam gate (§1.7 step 4): identical ids within 60 s are replays, and a key the node is not
// trading with must pay the first-contact proof of work. Event ids are also persisted (processed
// events), so this in-memory window is only the cheap first filter.
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowSeconds = 60) {}

  /** True the first time an id is seen within the window. */
  admit(id: string, now: number): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.windowSeconds) return false;
    this.seen.set(id, now);
    if (this.seen.size > 50_000) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [id, at] of this.seen) if (now - at >= this.windowSeconds) this.seen.delete(id);
  }
}

/** What changed in a set of keys: each key in `added` was not there before, each in `removed` was. */
export interface KeyChange {
  added: string[];
  removed: string[];
}

/** Trade keys of non-terminal orders and solver keys of active disputes; rebuilt periodically. */
export class ActiveKeys {
  private keys = new Set<string>();

  /**
   * `onChange` hears every change as a difference (the embedded relay serves these keys first; the
   * whole set would cross to its thread again for every new order).
   */
  constructor(private readonly onChange?: (change: KeyChange) => void) {}

  replace(keys: Iterable<string>): void {
    const next = new Set(keys);
    const added = [...next].filter((k) => !this.keys.has(k));
    const removed = [...this.keys].filter((k) => !next.has(k));
    this.keys = next;
    if (added.length > 0 || removed.length > 0) this.onChange?.({ added, removed });
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.onChange?.({ added: [key], removed: [] });
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Changes gathered between two hand-overs; a key added then removed (or the reverse) cancels out. */
export class PendingKeyChange {
  private added = new Set<string>();
  private removed = new Set<string>();
  private handOverDue = false;

  /** True for the first change since the last `take()`: the caller schedules one hand-over. */
  record(change: KeyChange): boolean {
    for (const k of change.added) if (!this.removed.delete(k)) this.added.add(k);
    for (const k of change.removed) if (!this.added.delete(k)) this.removed.add(k);
    if (this.handOverDue) return false;
    this.handOverDue = true;
    return true;
  }

  take(): KeyChange {
    const change = { added: [...this.added], removed: [...this.removed] };
    this.added.clear();
    this.removed.clear();
    this.handOverDue = false;
    return change;
  }
}

/**
 * Per-sender token buckets (flood guard): each trade key may send `perMinute` messages a minute,
 * with bursts up to that many. Keyed by the unwrapped sender, since a gift wrap's outer key is
 * one-time. Buckets of idle senders are forgotten.
 */
export class SenderRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  admit(sender: string, nowMs: number): boolean {
    const refillPerMs = this.perMinute / 60_000;
    const b = this.buckets.get(sender) ?? { tokens: this.perMinute, at: nowMs };
    b.tokens = Math.min(this.perMinute, b.tokens + (nowMs - b.at) * refillPerMs);
    b.at = nowMs;
    this.buckets.set(sender, b);
    if (this.buckets.size > 100_000) this.forgetIdle(nowMs);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private forgetIdle(nowMs: number): void {
    for (const [key, b] of this.buckets) if (nowMs - b.at > 60_000) this.buckets.delete(key);
  }
}
