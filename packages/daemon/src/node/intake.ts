// The node's intake loop: every event the relay pool delivers is stamped on arrival, sorted into a
// lane (known keys / first contacts, intake/lanes.ts), refused at once if a first contact lacks the
// current PoW (intake/adaptive-pow.ts), and handled one at a time — the pipeline, then dispatch.
// With a crypto pool (intake/crypto-pool.ts) the next few events taken from the lanes are examined
// (outer signature, unwrap) on the worker threads while the loop handles the one before them; the
// pipeline then reads those verdicts in its usual order, so its results are the same as inline.
import { SeenIds } from '@mostro/nostr';
import type { NostrEvent } from 'nostr-tools';
import { getPow } from 'nostr-tools/nip13';
import type { AppContext } from '../app/context.ts';
import { dispatch, type HandlerTable } from '../app/dispatch.ts';
import { replyCantDo } from '../app/messages.ts';
import { listSolvers } from '../db/users.ts';
import { AdaptivePow } from '../intake/adaptive-pow.ts';
import { type CryptoPool, examineInPool } from '../intake/crypto-pool.ts';
import { type Examined, examinedSteps } from '../intake/examine.ts';
import { knownAfterHandling } from '../intake/known-sender.ts';
import { IntakeLanes, type Lane, type Queued } from '../intake/lanes.ts';
import { oneLine, ReasonLog } from '../intake/log-limit.ts';
import { type IntakeDeps, type IntakeResult, runIntake } from '../intake/pipeline.ts';
import type { ActiveKeys } from '../intake/spam-gate.ts';
import type { Metrics } from '../metrics/registry.ts';
import type { CatchUp } from './catch-up.ts';

export interface IntakeLoopOptions {
  ctx: AppContext;
  handlers: HandlerTable;
  deps: IntakeDeps;
  activeKeys: ActiveKeys;
  metrics: Metrics;
  /**
   * Catch-up (node/catch-up.ts): how old an event may be, by the relay it came from and when (a
   * relay's stored backlog after it (re)connects may be older than the live 10 s), and the per-relay
   * mark of what was processed. Absent: `deps.maxAgeSeconds` for every event, no marks.
   */
  catchUp?: Pick<CatchUp, 'maxAgeFor' | 'processed'>;
  /** The first-contact PoW changed: republish the info event. */
  onPowChange(pow: number): void;
  /**
   * Outer signatures and unwrapping on worker threads. Then the relay pool neither verifies nor
   * de-duplicates (it subscribes with `everyCopy`): this loop drops copies of an id it verified.
   */
  cryptoPool?: CryptoPool;
}

export interface IntakeLoop {
  /** The relay pool's onevent (the event and the relay it came from): stamp, sort, queue. Never throws. */
  arrive(event: NostrEvent, relayUrl?: string): void;
  /**
   * Before the pool verifies a signature: false for a first contact below the current PoW, which is
   * refused anyway — junk then costs one hash instead of a signature check. Counts the refusal.
   */
  worthVerifying(event: NostrEvent): boolean;
  /** Resolves once nothing waits and nothing is being handled. */
  idle(): Promise<void>;
  /** The first-contact PoW demanded now (what the info event advertises). */
  powFirstContact(): number;
  /**
   * Runs `work` between two handled events, never beside one: the admin RPC calls the same handlers
   * and must see and leave the database as a message in the queue would.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  stats: Record<string, number>;
  stop(): void;
}

interface Arrival {
  event: NostrEvent;
  receivedAt: number;
  relayUrl: string | undefined;
  /** The crypto pool's verdicts, started when the event was taken from its lane. */
  examined?: Promise<Examined>;
}

const SOLVERS_REFRESH_MS = 60_000;
/** Ids whose signature a crypto worker verified: later copies (other relays) are dropped unseen. */
const VERIFIED_IDS = 10_000;

export function createIntakeLoop(options: IntakeLoopOptions): IntakeLoop {
  const { ctx, deps, metrics } = options;
  const { settings, clock } = ctx;
  const stats: Record<string, number> = {};
  const reasonLog = new ReasonLog((line) => ctx.log.warn(line));
  const count = (outcome: string, reason = '') => {
    const key = reason ? `${outcome}:${reason}` : outcome;
    stats[key] = (stats[key] ?? 0) + 1;
    metrics.intakeEvents.inc({ outcome, reason });
  };
  const lanes = new IntakeLanes<Arrival>(
    { known: settings.intake.known_queue_size, firstContact: settings.intake.queue_size },
    (shed: Queued<Arrival>) => count('shed', shed.lane),
  );
  const pow = new AdaptivePow({
    base: deps.powFirstContact,
    max: Math.max(deps.powFirstContact, settings.intake.pow_first_contact_max),
    onChange: (bits) => {
      metrics.powFirstContact.set(bits);
      ctx.log.info(`intake: first-contact proof of work is now ${bits} bits`);
      options.onPowChange(bits);
    },
  });
  metrics.powFirstContact.set(pow.current());

  // Solvers and the node's own key (the admin) are known even without an open dispute.
  let solvers = new Set<string>();
  let solversAtMs = Number.NEGATIVE_INFINITY;
  const laneOf = (event: NostrEvent, nowMs: number): Lane => {
    // A gift wrap's outer key is one-time: nothing is known about its sender before unwrapping.
    if (event.kind !== 14) return 'first-contact';
    if (event.pubkey === ctx.nodePubkey || options.activeKeys.has(event.pubkey)) return 'known';
    if (nowMs - solversAtMs > SOLVERS_REFRESH_MS) {
      solvers = new Set(listSolvers(ctx.db).map((u) => u.pubkey));
      solversAtMs = nowMs;
    }
    return solvers.has(event.pubkey) ? 'known' : 'first-contact';
  };

  let running: Promise<void> | null = null;
  let stopped = false;

  const cryptoPool = options.cryptoPool;
  const verifiedIds = new SeenIds(VERIFIED_IDS);
  // Taken from the lanes in their order, examination started: a few ahead with a pool (so its
  // workers are busy while this thread handles), one at a time inline (as before the pool).
  const taken: Queued<Arrival>[] = [];
  const lookahead = cryptoPool ? cryptoPool.size * 2 : 1;
  const takeNext = (): Queued<Arrival> | undefined => {
    while (taken.length < lookahead) {
      const next = lanes.shift();
      if (!next) break;
      if (cryptoPool) next.item.examined = examineInPool(cryptoPool, next.item.event, deps.pow);
      taken.push(next);
    }
    return taken.shift();
  };

  const depsFor = ({ relayUrl, receivedAt }: Arrival): IntakeDeps =>
    relayUrl === undefined || !options.catchUp
      ? deps
      : { ...deps, maxAgeSeconds: options.catchUp.maxAgeFor(relayUrl, receivedAt) };

  const handle = async (arrival: Arrival): Promise<void> => {
    const { event, receivedAt } = arrival;
    let result: IntakeResult;
    try {
      let intakeDeps = depsFor(arrival);
      if (arrival.examined) {
        const examined = await arrival.examined;
        // A copy of an event verified before (from another relay): what the pool's de-duplication
        // did when it verified on this thread.
        if (examined.outerValid && !verifiedIds.add(event.id)) return;
        intakeDeps = { ...intakeDeps, ...examinedSteps(examined) };
      }
      result = await runIntake(event, intakeDeps, receivedAt);
    } catch (error) {
      count('intake-error');
      reasonLog.note('unexpected error', clock.nowMs(), error instanceof Error ? error.message : String(error));
      return;
    }
    if (result.outcome === 'dropped') {
      count('dropped', result.reason);
      if (result.reason === 'malformed') {
        metrics.malformed.inc({ reason: 'message' });
        reasonLog.note('malformed message', clock.nowMs(), result.detail);
      }
      return;
    }
    if (result.outcome === 'cant-do') {
      count('cant-do');
      await replyCantDo(ctx, result.request, result.reason);
      return;
    }
    count(await dispatch(ctx, options.handlers, result.request));
    const { sender, message } = result.request;
    if (knownAfterHandling(ctx, message.action, sender)) options.activeKeys.add(sender);
  };

  // One handler at a time, whether its request came from a relay or from the admin RPC.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work, work);
    turn = run.catch(() => {});
    return run;
  };

  const pump = async (): Promise<void> => {
    for (let next = takeNext(); next && !stopped; next = takeNext()) {
      const startMs = clock.nowMs();
      showDepth();
      metrics.queueWait.observe({ lane: next.lane }, Math.max(0, startMs - next.queuedAtMs) / 1000);
      try {
        const item = next.item;
        await exclusive(() => handle(item));
      } catch (error) {
        // A reply that could not be sent must not stop the loop.
        reasonLog.note('handling failed', clock.nowMs(), error instanceof Error ? oneLine(error.message) : 'error');
      }
      // The mark only moves forward, so a known event handled before an older first contact still
      // queued may pass it; the catch-up margin (60 s) asks again from before the mark on a restart.
      const { relayUrl } = next.item;
      if (relayUrl !== undefined) options.catchUp?.processed(relayUrl, next.item.receivedAt);
      metrics.handlerDuration.observe({ action: `kind-${next.item.event.kind}` }, (clock.nowMs() - startMs) / 1000);
      pow.observe(lanes.firstContactFill(), clock.nowMs());
      // Let the relay sockets deliver what arrived meanwhile, so the lanes see it.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const kick = () => {
    running ??= pump().finally(() => {
      running = null;
      if (taken.length + lanes.depth('known') + lanes.depth('first-contact') > 0 && !stopped) kick();
    });
  };

  const showDepth = () => {
    metrics.queueDepth.set({ lane: 'known' }, lanes.depth('known'));
    metrics.queueDepth.set({ lane: 'first-contact' }, lanes.depth('first-contact'));
  };

  const powRefused = (event: NostrEvent, nowMs: number): boolean => {
    if (event.kind !== 14 || typeof event.id !== 'string' || laneOf(event, nowMs) === 'known') return false;
    if (pow.admits(getPow(event.id), nowMs)) return false;
    count('dropped', 'first_contact_pow');
    return true;
  };

  return {
    stats,
    worthVerifying: (event) => !powRefused(event, clock.nowMs()),
    arrive(event, relayUrl) {
      if (stopped || (cryptoPool && typeof event.id === 'string' && verifiedIds.has(event.id))) return;
      const nowMs = clock.nowMs();
      const receivedAt = clock.now();
      // The raised PoW is checked on arrival (again: it may have risen): junk takes no queue slot.
      if (powRefused(event, nowMs)) return;
      const lane = laneOf(event, nowMs);
      lanes.push({ event, receivedAt, relayUrl }, lane, nowMs);
      showDepth();
      pow.observe(lanes.firstContactFill(), nowMs);
      kick();
    },
    async idle() {
      while (running) await running;
    },
    powFirstContact: () => pow.current(),
    exclusive,
    stop() {
      stopped = true;
    },
  };
}
