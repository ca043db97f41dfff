// The outbox delivery: sends the rows of the outbox table (app/outbox.ts) in the background until
// a relay acknowledges each (OK true), with exponential backoff between attempts, and picks up
// whatever a previous run left unsent. A DM is wrapped at its first attempt and the wrapped event
// is stored BEFORE it is published: every retry, and every run after a crash, sends that same event
// (same id), so clients drop the copies by id. (Wrapping at enqueue time would put async crypto
// inside the caller's transaction; wrapping at every attempt would make each retry a new event.)
import type { Message, Transport } from '@mostro/protocol';
import { parseMessage } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import type { Recipient } from '../app/outbox.ts';
import type { Db } from '../db/open.ts';
import {
  dueOutboxHeads,
  nextOutboxAttempt,
  type OutboxRow,
  outboxBacklog,
  outboxDelivered,
  outboxFailed,
  outboxRetryNow,
  setOutboxEvent,
} from '../db/outbox.ts';

export interface PublishOutcome {
  ok: boolean;
  reason?: string;
}

export interface DeliveryMetrics {
  /** Rows in the outbox after a change (the `mostro_outbox_backlog` gauge). */
  backlog(rows: number): void;
  /** One failed attempt that will be retried (`mostro_outbox_retries_total`). */
  retry(): void;
}

export interface DeliveryDeps {
  db: Db;
  /** Wraps `message` from the node to `to` (NIP-59 or kind 14). */
  wrap(to: Recipient, message: Message): Promise<NostrEvent>;
  /** Publishes to every relay; one result per relay. */
  publish(event: NostrEvent): Promise<readonly PublishOutcome[]>;
  log(line: string, detail?: unknown): void;
  /** Delay before attempt `attempts + 1` (ms); default 1 s doubling up to 30 s. */
  backoffMs?(attempts: number): number;
  maxInFlight?: number;
  metrics?: DeliveryMetrics;
  nowMs?(): number;
}

export interface Delivery {
  /** Looks for due rows now (called after every enqueue). */
  wake(): void;
  /** A relay (re)connected: every waiting row is tried again now. */
  retryNow(): void;
  /** Resolves once no row is due and no attempt is in flight. */
  drain(): Promise<void>;
  /** Stops scheduling; waits for the attempts in flight. Unsent rows stay for the next run. */
  stop(): Promise<void>;
}

const defaultBackoff = (attempts: number) => Math.min(30_000, 1000 * 2 ** attempts);

export function createDelivery(deps: DeliveryDeps): Delivery {
  const nowMs = deps.nowMs ?? Date.now;
  const backoff = deps.backoffMs ?? defaultBackoff;
  const maxInFlight = deps.maxInFlight ?? 16;
  const inFlight = new Map<string, Promise<void>>(); // by lane
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let scheduled = false;

  const reportBacklog = () => deps.metrics?.backlog(outboxBacklog(deps.db));

  async function eventOf(row: OutboxRow): Promise<NostrEvent> {
    if (row.event) return JSON.parse(row.event) as NostrEvent;
    const to: Recipient = { pubkey: row.recipient!, transport: row.transport as Transport };
    const event = await deps.wrap(to, parseMessage(row.message!));
    setOutboxEvent(deps.db, row.id, JSON.stringify(event));
    return event;
  }

  async function attempt(row: OutboxRow): Promise<void> {
    let error: string;
    try {
      const event = await eventOf(row);
      const results = await deps.publish(event);
      if (results.some((r) => r.ok)) {
        outboxDelivered(deps.db, row.id);
        reportBacklog();
        return;
      }
      error = results.map((r) => r.reason ?? 'rejected').join('; ') || 'no relay';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (stopped) return;
    outboxFailed(deps.db, row.id, nowMs() + backoff(row.attempts), error);
    deps.metrics?.retry();
    if (row.attempts === 0 || row.attempts % 10 === 0) {
      deps.log(
        `outbox: ${row.lane.split(':')[0]} row ${row.id} not delivered yet (attempt ${row.attempts + 1}): ${error}`,
      );
    }
  }

  function pump(): void {
    scheduled = false;
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const now = nowMs();
    // Every pump follows an enqueue, a delivery or a retry: the gauge rises with new rows too.
    reportBacklog();
    // Every lane slot busy: the next settled attempt pumps again, no need to look for heads now.
    if (inFlight.size >= maxInFlight) return;
    for (const row of dueOutboxHeads(deps.db, now, maxInFlight * 4)) {
      if (inFlight.size >= maxInFlight) break;
      if (inFlight.has(row.lane)) continue;
      const p = attempt(row).finally(() => {
        inFlight.delete(row.lane);
        wake();
      });
      inFlight.set(row.lane, p);
    }
    // While rows are in flight each one pumps again when it settles (at most the publish timeout
    // away); the timer is only needed when nothing is, which spares a scan per delivered row.
    if (inFlight.size > 0) return;
    const next = nextOutboxAttempt(deps.db);
    if (next !== null && next > now) timer = setTimeout(pump, Math.min(next - now, 60_000));
  }

  function wake(): void {
    if (stopped || scheduled) return;
    scheduled = true;
    queueMicrotask(pump);
  }

  // A (re)start is a fresh chance for every unsent row: what a crashed run left waiting on its
  // backoff is due at once, as after a relay reconnect.
  outboxRetryNow(deps.db, nowMs());
  reportBacklog();
  wake();

  return {
    wake,
    retryNow() {
      if (outboxRetryNow(deps.db, nowMs()) > 0) wake();
    },
    async drain() {
      for (;;) {
        while (scheduled || inFlight.size > 0) {
          if (inFlight.size > 0) await Promise.all([...inFlight.values()]);
          else await new Promise((r) => setImmediate(r));
        }
        const next = nextOutboxAttempt(deps.db);
        if (stopped || next === null || next > nowMs()) return;
        pump();
        if (inFlight.size === 0) return;
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inFlight.values()]);
    },
  };
}
