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

  replace(keys: Iterable<string>): void {
    this.keys = new Set(keys);
  }

  add(key: string): void {
    this.keys.add(key);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }
}
