// Human renderings of trades and order-book entries shared by several commands.
import {
  currentDeadline,
  NEXT_STEP_HELP,
  type OrderBookEntry,
  reputationStanding,
  type TradeRecord,
} from '@mostro/client';
import { toNpub } from '@mostro/protocol';
import { ago, plural } from './output.ts';

export function fiatOf(e: Pick<OrderBookEntry, 'fiatAmount' | 'fiatCode'>): string {
  return `${e.fiatAmount.join('-')} ${e.fiatCode}`;
}

/** The next command with this trade's real id in it, as a person can paste it. */
export const nextCommand = (t: TradeRecord): string => NEXT_STEP_HELP[t.next].replaceAll('<order-id>', t.orderId);

export function tradeLine(t: TradeRecord): string[] {
  const o = t.order;
  const fiat = o
    ? `${o.min_amount != null && o.max_amount != null && !o.fiat_amount ? `${o.min_amount}-${o.max_amount}` : o.fiat_amount} ${o.fiat_code}`
    : '?';
  const deadline = currentDeadline(t);
  const sats = t.amountSats ? `${t.amountSats} sats` : o?.amount ? `${o.amount} sats` : 'market price';
  return [
    t.orderId,
    `${t.role} ${t.kind} (${t.side})${t.fullPrivate ? ' private' : ''}`,
    t.status,
    `${fiat}, ${sats}`,
    deadline ? `${deadline.what} ${ago(deadline.at)}` : '-',
    t.next === 'wait' || t.next === 'none' ? t.next : `next: ${nextCommand(t)}`,
  ];
}

export function tradeDetail(t: TradeRecord): string[] {
  const [id, role, status, amounts, deadline, next] = tradeLine(t);
  const lines = [`order ${id}`, `  ${role}, status ${status}`, `  ${amounts}`, `  deadline: ${deadline}`, `  ${next}`];
  if (t.counterpartyPubkey) lines.push(`  counterparty trade key: ${toNpub(t.counterpartyPubkey)}`);
  if (t.counterpartyReputation) {
    const r = t.counterpartyReputation;
    const standing = reputationStanding(r);
    lines.push(
      standing === 'private-or-new'
        ? '  counterparty reputation: private, or new today (no reputation)'
        : standing === 'unrated'
          ? `  counterparty reputation: no ratings yet, ${plural(r.operating_days, 'day')} on this node`
          : `  counterparty reputation: ★${r.rating.toFixed(1)} from ${plural(r.reviews, 'review')}, ${plural(r.operating_days, 'day')} on this node`,
    );
  }
  if (t.dispute)
    lines.push(
      `  dispute ${t.dispute.id}${t.dispute.solverPubkey ? `, solver ${toNpub(t.dispute.solverPubkey)}` : ', no solver yet'}`,
    );
  lines.push(...bondLines(t));
  if (t.cooperativeCancel) lines.push(`  cooperative cancel requested ${t.cooperativeCancel}`);
  if (t.lastError) lines.push(`  last refusal: ${t.lastError}`);
  return lines;
}

/** The trade's anti-abuse bond and bond claim, in words (nothing when there is none). */
export function bondLines(t: TradeRecord): string[] {
  const lines: string[] = [];
  const b = t.bond;
  if (b?.state === 'to-pay') {
    lines.push(`  bond to pay: ${b.amountSats ?? '?'} sats (mostro pay ${t.orderId} --bond)`);
    if (b.invoice) lines.push(`  bond invoice: ${b.invoice}`);
  } else if (b?.state === 'locked')
    lines.push(`  bond: ${b.amountSats ?? '?'} sats locked, given back when the trade ends`);
  else if (b?.state === 'released') lines.push(`  bond: ${b.amountSats ?? '?'} sats given back`);
  else if (b?.state === 'slashed') lines.push(`  bond: ${b.amountSats ?? '?'} sats slashed`);
  const c = t.bondClaim;
  if (c?.state === 'to-claim')
    lines.push(
      `  bond share to claim: ${c.amountSats} sats (mostro bond claim ${t.orderId} --invoice <bolt11 for ${c.amountSats} sats>)`,
    );
  else if (c) lines.push(`  bond share: ${c.amountSats} sats, ${c.state === 'paid' ? 'paid to you' : 'being paid'}`);
  return lines;
}

/** The fields of a trade worth printing as JSON (no secrets exist in a record). */
export function tradeJson(t: TradeRecord) {
  return { ...t, deadline: currentDeadline(t), nextCommand: nextCommand(t) };
}
