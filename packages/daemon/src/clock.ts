// Time as a dependency: the node reads the time only through a Clock, so tests and the simulator
// can move it by hand instead of sleeping.

export interface Clock {
  /** Unix time in whole seconds (what Nostr events and the database store). */
  now(): number;
  /** Unix time in milliseconds. */
  nowMs(): number;
}

export const systemClock: Clock = {
  now: () => Math.floor(Date.now() / 1000),
  nowMs: () => Date.now(),
};

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(startSeconds = 1_700_000_000) {
    this.#ms = startSeconds * 1000;
  }

  now(): number {
    return Math.floor(this.#ms / 1000);
  }

  nowMs(): number {
    return this.#ms;
  }

  /** Moves the clock forward (or back, for a negative value) by `seconds`. */
  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }

  advanceMs(ms: number): void {
    this.#ms += ms;
  }

  /** Sets the clock to an absolute unix time in seconds. */
  set(seconds: number): void {
    this.#ms = seconds * 1000;
  }
}
