// Per-connection limits on DMs (kinds 14 and 1059), the events a stranger can push at the node for
// free: one connection may not publish a DM larger than `maxBytes`, nor more than `perMinute` DMs a
// minute (a token bucket: bursts up to that many). Other kinds pass untouched.

export const DM_KINDS = new Set([14, 1059]);

export interface DmLimitOptions {
  maxBytes: number;
  perMinute: number;
}

export class ConnectionDmLimit {
  private tokens: number;
  private atMs: number;

  constructor(
    private readonly options: DmLimitOptions,
    nowMs = Date.now(),
  ) {
    this.tokens = options.perMinute;
    this.atMs = nowMs;
  }

  /** null = accepted; otherwise the NIP-01 `OK false` message. */
  check(kind: number, frameBytes: number, nowMs = Date.now()): string | null {
    if (!DM_KINDS.has(kind)) return null;
    if (frameBytes > this.options.maxBytes) return `invalid: direct message larger than ${this.options.maxBytes} bytes`;
    const { perMinute } = this.options;
    this.tokens = Math.min(perMinute, this.tokens + ((nowMs - this.atMs) * perMinute) / 60_000);
    this.atMs = nowMs;
    if (this.tokens < 1) return 'rate-limited: too many direct messages on this connection';
    this.tokens -= 1;
    return null;
  }
}
