// What the solver console shows about disputes, computed from the node's 38386 events and the
// SolverDisputeInfo of the disputes this solver took: the queue (filters, the count waiting), each
// party's reputation, the order's timeline and what a decision pays whom. Pure.
import type { DisputeEntry, TakenDispute } from '@mostro/client';
import type { UserInfo } from '@mostro/protocol';

export const OPEN = ['initiated', 'in-progress'];

export interface QueueItem extends DisputeEntry {
  /** The details the node sent when this solver took it. */
  taken: TakenDispute | null;
}

export interface QueueFilter {
  /** open (initiated or in progress), waiting (initiated), mine (taken by me), closed, all */
  show: 'open' | 'waiting' | 'mine' | 'closed' | 'all';
  initiator: 'any' | 'buyer' | 'seller';
}

export function queue(
  entries: readonly DisputeEntry[],
  taken: Record<string, TakenDispute>,
  filter: QueueFilter,
): QueueItem[] {
  return entries
    .map((e) => ({ ...e, taken: taken[e.id] ?? null }))
    .filter((d) => {
      if (filter.initiator !== 'any' && d.initiator !== filter.initiator) return false;
      switch (filter.show) {
        case 'open':
          return OPEN.includes(d.status);
        case 'waiting':
          return d.status === 'initiated';
        case 'mine':
          return d.taken !== null;
        case 'closed':
          return !OPEN.includes(d.status);
        default:
          return true;
      }
    })
    .sort((a, b) => (a.openedAt ?? a.updatedAt) - (b.openedAt ?? b.updatedAt));
}

export const waitingCount = (entries: readonly DisputeEntry[]): number =>
  entries.filter((e) => e.status === 'initiated').length;

/** Newest revision of each dispute wins (addressable events: relays may return older ones). */
export function mergeDispute(list: readonly DisputeEntry[], next: DisputeEntry): DisputeEntry[] {
  const have = list.find((d) => d.id === next.id);
  if (have && have.updatedAt >= next.updatedAt) return [...list];
  return [...list.filter((d) => d.id !== next.id), next];
}

export type Reputation =
  | { kind: 'private' }
  | { kind: 'unknown' }
  | { kind: 'rated'; rating: number; reviews: number; days: number };

export function reputation(fullPrivacy: boolean, info: UserInfo | null): Reputation {
  if (fullPrivacy) return { kind: 'private' };
  if (!info) return { kind: 'unknown' };
  return { kind: 'rated', rating: info.rating, reviews: info.reviews, days: info.operating_days };
}

export interface Party {
  role: 'buyer' | 'seller';
  pubkey: string | null;
  initiator: boolean;
  reputation: Reputation;
}

export function parties(t: TakenDispute): Party[] {
  const i = t.info;
  const initiatorIsBuyer = i.initiator_pubkey === i.buyer_pubkey;
  return (['buyer', 'seller'] as const).map((role) => {
    const initiator = (role === 'buyer') === initiatorIsBuyer;
    return {
      role,
      pubkey: role === 'buyer' ? i.buyer_pubkey : i.seller_pubkey,
      initiator,
      reputation: initiator
        ? reputation(i.initiator_full_privacy, i.initiator_info)
        : reputation(i.counterpart_full_privacy, i.counterpart_info),
    };
  });
}

export interface TimelineStep {
  /** i18n key suffix: created, taken, escrow, dispute, solver, closed */
  what: string;
  at: number;
  detail?: string;
}

/** The order's states in time order, from what the node told the solver and its dispute events. */
export function timeline(t: TakenDispute, entry: DisputeEntry | null, takenByMeAt: number | null): TimelineStep[] {
  const i = t.info;
  const steps: TimelineStep[] = [{ what: 'created', at: i.created_at }];
  if (i.taken_at > 0) steps.push({ what: 'taken', at: i.taken_at });
  if (i.invoice_held_at > 0) steps.push({ what: 'escrow', at: i.invoice_held_at });
  if (entry?.openedAt) steps.push({ what: 'dispute', at: entry.openedAt, detail: i.order_previous_status });
  if (takenByMeAt) steps.push({ what: 'solver', at: takenByMeAt });
  if (entry && !OPEN.includes(entry.status)) steps.push({ what: 'closed', at: entry.updatedAt, detail: entry.status });
  return steps.sort((a, b) => a.at - b.at);
}

/** Who receives what (sats) when the solver decides: the sums the confirmations state. */
export function outcome(t: TakenDispute) {
  const { amount, fee } = t.info;
  return {
    /** Settle: the seller's escrow (amount + fee) is taken; the buyer is paid amount − fee. */
    settle: { buyerGets: amount - fee, sellerPaid: amount + fee, nodeFee: 2 * fee },
    /** Cancel: the hold invoice is canceled; the seller keeps all of it, the buyer gets nothing. */
    cancel: { sellerRefund: amount + fee },
  };
}
