// Where a session's sealed blob lives. The SDK only ever reads it and replaces it atomically through
// `update`, which serializes writers: two processes sharing a home (a `watch` and a `take`) can never
// lose each other's trade-index reservation.

export interface SessionStore {
  /** The stored blob, or null when there is no session yet. */
  read(): Promise<string | null>;
  /** Read-modify-write under exclusion: `change` receives the current blob and returns the new one. */
  update(change: (current: string | null) => string | Promise<string>): Promise<void>;
}

/** In-memory store (tests, browsers without persistence). */
export class MemorySessionStore implements SessionStore {
  private blob: string | null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(initial: string | null = null) {
    this.blob = initial;
  }

  async read(): Promise<string | null> {
    return this.blob;
  }

  update(change: (current: string | null) => string | Promise<string>): Promise<void> {
    const run = this.queue.then(async () => {
      this.blob = await change(this.blob);
    });
    this.queue = run.catch(() => {});
    return run;
  }
}
