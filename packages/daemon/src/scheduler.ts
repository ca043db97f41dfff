// Named periodic jobs (expiration, info publication, price updates, …). A job never runs twice at
// once: a tick that finds the previous run still going is skipped. A failing job is logged and runs
// again at its next tick; it never takes the node down. Timers and clock are injectable, so tests
// drive jobs with `runNow` or `ManualTimers.tick` instead of sleeping.
import { type Clock, systemClock } from './clock.ts';

export type JobFn = () => void | Promise<void>;

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SchedulerLogger {
  error(message: string, err: unknown): void;
}

export const systemTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export interface JobOptions {
  /** Also run once as soon as the scheduler starts (or at once, if already started). */
  runAtStart?: boolean;
}

export interface JobStats {
  name: string;
  intervalSeconds: number;
  running: boolean;
  runs: number;
  failures: number;
  /** Ticks skipped because the previous run had not finished. */
  skipped: number;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastError: string | null;
}

interface Job {
  stats: JobStats;
  fn: JobFn;
  options: JobOptions;
  handle: unknown;
  current: Promise<boolean> | null;
}

export interface SchedulerOptions {
  clock?: Clock;
  timers?: Timers;
  logger?: SchedulerLogger;
}

export class Scheduler {
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: SchedulerLogger;
  readonly #jobs = new Map<string, Job>();
  #state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(options: SchedulerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? { error: (message, err) => console.error(message, err) };
  }

  /** Registers a job. Names are unique; the interval is in seconds (> 0). */
  add(name: string, intervalSeconds: number, fn: JobFn, options: JobOptions = {}): void {
    if (this.#jobs.has(name)) throw new Error(`scheduler: job ${name} already exists`);
    if (!(intervalSeconds > 0)) throw new RangeError(`scheduler: job ${name} needs an interval > 0 seconds`);
    const job: Job = {
      stats: {
        name,
        intervalSeconds,
        running: false,
        runs: 0,
        failures: 0,
        skipped: 0,
        lastStartedAt: null,
        lastFinishedAt: null,
        lastError: null,
      },
      fn,
      options,
      handle: null,
      current: null,
    };
    this.#jobs.set(name, job);
    if (this.#state === 'started') this.#arm(job);
  }

  /** Starts the timers of every job (and the runAtStart runs). */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'started';
    for (const job of this.#jobs.values()) this.#arm(job);
  }

  /**
   * Runs a job now (after its in-flight run, if any, has finished). Resolves to true if it
   * succeeded, false if it failed (the error is logged) or the scheduler is stopped.
   */
  async runNow(name: string): Promise<boolean> {
    const job = this.#jobs.get(name);
    if (!job) throw new Error(`scheduler: no job ${name}`);
    while (job.current) await job.current;
    if (this.#state === 'stopped') return false;
    return this.#run(job);
  }

  stats(name: string): JobStats | undefined {
    const job = this.#jobs.get(name);
    return job ? { ...job.stats } : undefined;
  }

  names(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Stops every timer and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    for (const job of this.#jobs.values()) {
      if (job.handle !== null) this.#timers.clearInterval(job.handle);
      job.handle = null;
    }
    await Promise.all([...this.#jobs.values()].map((j) => j.current));
  }

  #arm(job: Job): void {
    job.handle = this.#timers.setInterval(() => this.#tick(job), job.stats.intervalSeconds * 1000);
    if (job.options.runAtStart) this.#tick(job);
  }

  #tick(job: Job): void {
    if (this.#state !== 'started') return;
    if (job.current) {
      job.stats.skipped++;
      return;
    }
    void this.#run(job);
  }

  #run(job: Job): Promise<boolean> {
    const s = job.stats;
    s.running = true;
    s.runs++;
    s.lastStartedAt = this.#clock.now();
    const done = (async () => {
      try {
        // Called from a microtask, never inline: even a job that throws synchronously finishes
        // after `current` is set below, so the finally always clears it.
        await Promise.resolve().then(job.fn);
        s.lastError = null;
        return true;
      } catch (err) {
        s.failures++;
        s.lastError = err instanceof Error ? err.message : String(err);
        try {
          this.#logger.error(`scheduler: job ${s.name} failed`, err);
        } catch {
          // a broken logger must not break the scheduler
        }
        return false;
      } finally {
        s.running = false;
        s.lastFinishedAt = this.#clock.now();
        job.current = null;
      }
    })();
    job.current = done;
    return done;
  }
}

/** Timers that fire only when told to: `tick(ms)` advances time and fires what became due. */
export class ManualTimers implements Timers {
  #now = 0;
  #next = 1;
  readonly #intervals = new Map<number, { fn: () => void; ms: number; due: number }>();

  setInterval(fn: () => void, ms: number): number {
    const id = this.#next++;
    this.#intervals.set(id, { fn, ms, due: this.#now + ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.#intervals.delete(handle as number);
  }

  /** Advances by `ms`, firing each interval as many times as it became due, in time order. */
  tick(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let nextId: number | null = null;
      let nextDue = Number.POSITIVE_INFINITY;
      for (const [id, t] of this.#intervals) {
        if (t.due <= end && t.due < nextDue) {
          nextDue = t.due;
          nextId = id;
        }
      }
      if (nextId === null) break;
      const t = this.#intervals.get(nextId)!;
      this.#now = t.due;
      t.due += t.ms;
      t.fn();
    }
    this.#now = end;
  }

  get active(): number {
    return this.#intervals.size;
  }
}
