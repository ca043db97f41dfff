// First-contact proof of work that rises under load: when the first-contact lane fills up, the
// difficulty steps up (at most once a second) towards the configured maximum; it steps back down
// only after a quiet spell — the lane nearly empty and nothing refused for low PoW — so a flood
// that is being refused does not lower the bar for itself. Every change is announced (the node
// republishes its info event, whose `pow_first_contact` tag clients mine to).

export interface AdaptivePowOptions {
  base: number;
  max: number;
  onChange?(pow: number): void;
  /** Bits per step. Default 4. */
  step?: number;
  /** Fill of the lane at which the difficulty rises. Default 0.5. */
  raiseAt?: number;
  /** Quiet spell before a step down (ms). Default 30 s. */
  quietMs?: number;
}

export class AdaptivePow {
  private level: number;
  private changedAtMs = Number.NEGATIVE_INFINITY;
  private lastRefusedAtMs = Number.NEGATIVE_INFINITY;
  private readonly step: number;
  private readonly raiseAt: number;
  private readonly quietMs: number;

  constructor(private readonly options: AdaptivePowOptions) {
    this.level = options.base;
    this.step = options.step ?? 4;
    this.raiseAt = options.raiseAt ?? 0.5;
    this.quietMs = options.quietMs ?? 30_000;
  }

  /** The difficulty a first-contact event must meet now. */
  current(): number {
    return this.level;
  }

  /** True when `pow` meets the current difficulty; a refusal keeps the difficulty up. */
  admits(pow: number, nowMs: number): boolean {
    if (pow >= this.level) return true;
    this.lastRefusedAtMs = nowMs;
    return false;
  }

  /** Feeds the lane's fill (0..1); called on every arrival and every handled event. */
  observe(fill: number, nowMs: number): void {
    const { base, max } = this.options;
    if (max <= base) return;
    if (fill >= this.raiseAt && this.level < max && nowMs - this.changedAtMs >= 1000) {
      this.set(Math.min(max, this.level + this.step), nowMs);
    } else if (
      fill < 0.1 &&
      this.level > base &&
      nowMs - this.changedAtMs >= this.quietMs &&
      nowMs - this.lastRefusedAtMs >= this.quietMs
    ) {
      this.set(Math.max(base, this.level - this.step), nowMs);
    }
  }

  private set(level: number, nowMs: number): void {
    this.level = level;
    this.changedAtMs = nowMs;
    this.options.onChange?.(level);
  }
}
