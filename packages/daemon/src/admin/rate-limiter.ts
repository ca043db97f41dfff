// Per-IP guard of ValidateDbPassword (reference-0.20.md §6): after each failure a client waits
// 1, 2, 4, 8 s before the next try; the fifth failure locks it out for five minutes. Entries of
// clients quiet for `staleSeconds` are forgotten. A success clears the client's record.

const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000];
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;

interface Entry {
  failures: number;
  /** No attempt before this time (ms). */
  blockedUntil: number;
  lastSeen: number;
}

export type RateCheck = { ok: true } | { ok: false; retryAfterMs: number };

export class RateLimiter {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly staleMs: number) {}

  /** May `ip` try now? Also forgets stale entries. */
  check(ip: string, nowMs: number): RateCheck {
    this.#evict(nowMs);
    const entry = this.#entries.get(ip);
    if (!entry || nowMs >= entry.blockedUntil) return { ok: true };
    return { ok: false, retryAfterMs: entry.blockedUntil - nowMs };
  }

  recordFailure(ip: string, nowMs: number): void {
    const failures = (this.#entries.get(ip)?.failures ?? 0) + 1;
    const wait = failures >= MAX_FAILURES ? LOCKOUT_MS : (BACKOFF_MS[failures - 1] ?? LOCKOUT_MS);
    this.#entries.set(ip, { failures, blockedUntil: nowMs + wait, lastSeen: nowMs });
  }

  recordSuccess(ip: string): void {
    this.#entries.delete(ip);
  }

  /** Clients with a record (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  #evict(nowMs: number): void {
    for (const [ip, entry] of this.#entries) {
      if (nowMs - entry.lastSeen >= this.staleMs && nowMs >= entry.blockedUntil) this.#entries.delete(ip);
    }
  }
}
