// The order in which the embedded relay handles incoming frames. Frames of a priority connection —
// one that has published a genuine event of the node key, i.e. the node itself (its replies, order
// events) — are handled at once; every other frame waits in one FIFO, a few handled per event-loop
// turn. Between turns the sockets are read again, so under a flood of inbound junk the node's
// answers cross the relay without queueing behind the backlog, and its users' replies do not wait
// twice. Frames of one connection keep their order: a priority frame runs at once only when none
// of its connection's frames still waits. A backlog of `maxWaiting` frames is handled at once, in
// order, as without the queue, so a client that pipelines frames without waiting for answers
// cannot make the relay hold them in memory.

export interface IncomingQueueOptions {
  /** Ordinary frames handled per turn. Default 4. */
  perTurn?: number;
  /** Ordinary frames held at most. Default 4096. */
  maxWaiting?: number;
  /** Schedules the next turn. Default setImmediate. */
  defer?: (turn: () => void) => void;
}

interface Waiting {
  connection: object;
  handle: () => void;
}

export class IncomingQueue {
  private waiting: Waiting[] = [];
  private readonly waitingOf = new Map<object, number>();
  private head = 0;
  private scheduled = false;
  private readonly perTurn: number;
  private readonly maxWaiting: number;
  private readonly defer: (turn: () => void) => void;

  constructor(options: IncomingQueueOptions = {}) {
    this.perTurn = options.perTurn ?? 4;
    this.maxWaiting = options.maxWaiting ?? 4096;
    this.defer = options.defer ?? ((turn) => setImmediate(turn));
  }

  get length(): number {
    return this.waiting.length - this.head;
  }

  /** A frame of `connection`: priority ones (the node's connection) run now, others in arrival order. */
  push(connection: object, handle: () => void, priority: boolean): void {
    if (priority && !this.waitingOf.has(connection)) {
      handle();
      return;
    }
    this.waiting.push({ connection, handle });
    this.waitingOf.set(connection, (this.waitingOf.get(connection) ?? 0) + 1);
    if (this.length >= this.maxWaiting) this.run(this.length);
    else this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    this.run(this.perTurn);
  }

  /** Handles up to `count` waiting frames, oldest first. */
  private run(count: number): void {
    for (let i = 0; i < count && this.head < this.waiting.length; i++) {
      const { connection, handle } = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as unknown as Waiting;
      const left = (this.waitingOf.get(connection) ?? 1) - 1;
      if (left > 0) this.waitingOf.set(connection, left);
      else this.waitingOf.delete(connection);
      try {
        handle();
      } catch (error) {
        console.warn(`[relay] frame handling failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (this.head >= this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else {
      if (this.head > 1024) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      this.schedule();
    }
  }
}
