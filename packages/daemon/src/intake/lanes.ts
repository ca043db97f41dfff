// The intake's waiting room: two lanes, so that junk from first-contact keys can never delay the
// keys the node is trading with. Known keys are always served first; when the first-contact lane is
// full its oldest event is shed (it is the nearest to going stale). A full known lane sheds
// first-contact events before refusing a known one.

export type Lane = 'known' | 'first-contact';

export interface Queued<T> {
  item: T;
  lane: Lane;
  /** When it was queued (ms), for the wait metric. */
  queuedAtMs: number;
}

export interface LaneSizes {
  known: number;
  firstContact: number;
}

/** A FIFO with O(1) push and shift (an array with a moving head, compacted now and then). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export class IntakeLanes<T> {
  private readonly known = new Fifo<Queued<T>>();
  private readonly firstContact = new Fifo<Queued<T>>();

  constructor(
    private readonly sizes: LaneSizes,
    /** Called with every event shed (dropped unhandled) and its lane. */
    private readonly onShed: (shed: Queued<T>) => void,
  ) {}

  push(item: T, lane: Lane, nowMs: number): void {
    const entry = { item, lane, queuedAtMs: nowMs };
    if (lane === 'first-contact') {
      this.firstContact.push(entry);
      while (this.firstContact.length > this.sizes.firstContact) this.shed(this.firstContact);
      return;
    }
    if (this.known.length >= this.sizes.known) {
      if (this.firstContact.length > 0) this.shed(this.firstContact);
      else {
        this.onShed(entry);
        return;
      }
    }
    this.known.push(entry);
  }

  /** The next event to handle: known keys first, then first contacts, each in arrival order. */
  shift(): Queued<T> | undefined {
    return this.known.shift() ?? this.firstContact.shift();
  }

  depth(lane: Lane): number {
    return lane === 'known' ? this.known.length : this.firstContact.length;
  }

  /** How full the first-contact lane is, 0..1 (the load signal for the first-contact PoW). */
  firstContactFill(): number {
    return this.firstContact.length / this.sizes.firstContact;
  }

  private shed(from: Fifo<Queued<T>>): void {
    const oldest = from.shift();
    if (oldest) this.onShed(oldest);
  }
}
