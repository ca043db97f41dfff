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

/** Trade keys of non-terminal orders and solver keys of active disputes; rebuilt periodically. */
export class ActiveKeys {
  private keys = new Set<string>();

  /** `onChange` hears every change (the embedded relay serves these keys first). */
  constructor(private readonly onChange?: (keys: ReadonlySet<string>) => void) {}

  replace(keys: Iterable<string>): void {
    this.keys = new Set(keys);
    this.onChange?.(this.keys);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.onChange?.(this.keys);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
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
