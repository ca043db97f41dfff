// Bounded memory of event ids already delivered: the oldest id is forgotten first, so a long-lived
// subscription never grows without limit. A Map keeps insertion order, which makes it an LRU.
export class SeenIds {
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('SeenIds capacity must be a positive integer');
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id`; returns false when it was already known (and refreshes it). */
  add(id: string): boolean {
    const known = this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next().value as string;
      this.ids.delete(oldest);
    }
    return !known;
  }
}
