// Applying one node message to the trade it is about, in the session (shared by every process
// that opens it): idempotent per event id, and it creates the record of a range order's child.

import type { Incoming, KeyPair } from '../net/envelope.ts';
import type { Session } from '../session/session.ts';
import type { PrivacyMode } from '../session/types.ts';
import { applyMessage, newTrade, type TradeStep, type TradeTimers } from '../trade/machine.ts';

const INBOX_LIMIT = 2000;

export interface InboxContext {
  session: Session;
  node: string;
  privacy: PrivacyMode;
  /** The node's order expiration (its info), for the deadlines of the trade machine. */
  timers(): Promise<TradeTimers>;
}

/** Returns the step, or null when nothing changed. */
export async function applyIncoming(
  c: InboxContext,
  incoming: Incoming,
  eventId: string,
  key: KeyPair,
): Promise<TradeStep | null> {
  const kind = incoming.message.kind;
  const timers = await c.timers();
  return c.session.update((d) => {
    const seen = d.inbox.includes(eventId);
    if (!seen) d.inbox.push(eventId);
    if (d.inbox.length > INBOX_LIMIT) d.inbox.splice(0, d.inbox.length - INBOX_LIMIT);
    const id = kind.id;
    if (!id) return null;
    let trade = d.trades[id];
    if (!trade && kind.action === 'new-order' && kind.payload && 'order' in kind.payload) {
      // A child order of my range order, announced to the next trade key.
      const stated = kind.trade_index;
      const index =
        stated !== null && stated >= 1 && c.session.key(stated).publicKey === key.publicKey
          ? stated
          : indexOfKey(c.session, key.publicKey, d.lastTradeIndex);
      const o = kind.payload.order;
      if (index === null || !o.kind) return null;
      const parent = Object.values(d.trades).find((p) => p.nextTradeIndex === index);
      trade = newTrade({
        orderId: id,
        nodePubkey: c.node,
        role: 'maker',
        kind: o.kind,
        tradeIndex: index,
        fullPrivate: parent?.fullPrivate ?? c.privacy === 'full-private',
        order: o,
        now: incoming.createdAt,
      });
      if (index > d.lastTradeIndex) d.lastTradeIndex = index;
    }
    if (!trade) return null;
    const step = applyMessage(trade, kind, incoming.createdAt, timers);
    // Already applied (by this or another process sharing the session): report it, change nothing.
    if (seen) return { trade, summary: step.summary, ignored: step.ignored, replayed: true };
    d.trades[id] = step.trade;
    return step;
  });
}

function indexOfKey(session: Session, pub: string, upTo: number): number | null {
  for (let i = upTo + 5; i >= 1; i--) if (session.key(i).publicKey === pub) return i;
  return null;
}
