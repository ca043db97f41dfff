// Following trades: catch up on what the node told each open trade key while we were away, apply
// it oldest first, then apply each message live; and notice pending orders that ended silently.
import type { Incoming, KeyPair } from '../net/envelope.ts';
import type { Subscription } from '../net/relays.ts';
import { type OrderBookEntry, parseOrderEvent } from '../orderbook/index.ts';
import type { TradeStep } from '../trade/machine.ts';
import { awaitsNode, type TradeRecord } from '../trade/types.ts';
import type { ClientCore } from './core.ts';

/** Follows every trade the node may still write to: catches up on what was missed, then applies each message live. */
export async function watchTrades(
  c: ClientCore,
  onStep: (trade: TradeRecord, step: TradeStep) => void,
  opts: { since?: number } = {},
): Promise<Subscription> {
  const all = c.trades();
  const open = all.filter(awaitsNode);
  const keys: KeyPair[] = open.map((t) => c.session.key(t.tradeIndex));
  // Keys announced with next_trade for a range order's child, until that child is known.
  const children = all.filter((t) => t.nextTradeIndex !== null && !all.some((x) => x.tradeIndex === t.nextTradeIndex));
  for (const t of children) keys.push(c.session.key(t.nextTradeIndex as number));
  if (keys.length === 0) return { close() {} };
  const since = opts.since ?? Math.min(...[...open, ...children].map((t) => t.createdAt)) - 60;
  const backlog: { incoming: Incoming; id: string; key: KeyPair }[] = [];
  let live = false;
  let chain = Promise.resolve();
  const apply = (incoming: Incoming, id: string, key: KeyPair) => {
    chain = chain.then(async () => {
      const step = await c.handleIncoming(incoming, id, key);
      if (step && !step.ignored) onStep(step.trade, step);
    });
  };
  let resolveEose!: () => void;
  const eose = new Promise<void>((r) => {
    resolveEose = r;
  });
  const sub = c.pool.subscribe(
    c.dmFilters(
      keys.map((k) => k.publicKey),
      since,
    ),
    {
      onevent: (e) => {
        const key = keys.find((k) => e.tags.some((t) => t[0] === 'p' && t[1] === k.publicKey));
        if (!key) return;
        const incoming = c.open(e, [key]);
        if (!incoming) return;
        if (live) apply(incoming, e.id, key);
        else backlog.push({ incoming, id: e.id, key });
      },
      oneose: () => resolveEose(),
    },
  );
  await Promise.race([eose, new Promise((r) => setTimeout(r, c.timeoutMs))]);
  // Stored messages arrive in any order: apply them oldest first.
  backlog.sort((a, b) => a.incoming.createdAt - b.incoming.createdAt);
  for (const b of backlog) apply(b.incoming, b.id, b.key);
  live = true;
  await chain;
  return sub;
}

/** Catches up once on every open trade and returns the steps that were new. */
export async function syncTrades(c: ClientCore): Promise<TradeStep[]> {
  const steps: TradeStep[] = [];
  const sub = await c.watch((_t, s) => steps.push(s));
  sub.close();
  steps.push(...(await checkExpired(c)));
  return steps;
}

/**
 * The node sends no message when a pending order expires or is canceled elsewhere; its order
 * event says so. Marks my pending orders whose newest event is no longer pending.
 */
export async function checkExpired(c: ClientCore): Promise<TradeStep[]> {
  const pending = c.trades().filter((t) => t.status === 'pending' && t.role === 'maker');
  if (pending.length === 0) return [];
  const events = await c.query([{ kinds: [38383], authors: [c.node], '#d': pending.map((t) => t.orderId) }]);
  const newest = new Map<string, OrderBookEntry>();
  for (const e of events.map(parseOrderEvent)) {
    if (e && (!newest.has(e.id) || (newest.get(e.id) as OrderBookEntry).createdAt < e.createdAt)) newest.set(e.id, e);
  }
  const now = c.now();
  return c.session.update((d) => {
    const steps: TradeStep[] = [];
    for (const t of pending) {
      const e = newest.get(t.orderId);
      const cur = d.trades[t.orderId];
      if (!e || !cur || cur.status !== 'pending' || (e.status !== 'canceled' && e.status !== 'expired')) continue;
      const expired = (e.expiresAt ?? cur.deadline?.at ?? Number.POSITIVE_INFINITY) <= now;
      const next: TradeRecord = {
        ...cur,
        status: expired ? 'expired' : 'canceled',
        next: 'none',
        deadline: null,
        updatedAt: now,
      };
      d.trades[t.orderId] = next;
      steps.push({
        trade: next,
        summary: expired
          ? `your order expired without a taker; publish it again with: mostro new --renew ${t.orderId}`
          : 'your order was canceled',
        ignored: false,
      });
    }
    return steps;
  });
}
