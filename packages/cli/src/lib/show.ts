// Human renderings of trades and order-book entries shared by several commands.
import { NEXT_STEP_HELP, type OrderBookEntry, type TradeRecord } from '@mostro/client';
import { ago } from './output.ts';

export function fiatOf(e: Pick<OrderBookEntry, 'fiatAmount' | 'fiatCode'>): string {
  return `${e.fiatAmount.join('-')} ${e.fiatCode}`;
}

export function tradeLine(t: TradeRecord): string[] {
  const o = t.order;
  const fiat = o
    ? `${o.min_amount != null && o.max_amount != null && !o.fiat_amount ? `${o.min_amount}-${o.max_amount}` : o.fiat_amount} ${o.fiat_code}`
    : '?';
  const sats = t.amountSats ? `${t.amountSats} sats` : o?.amount ? `${o.amount} sats` : 'market price';
  return [
    t.orderId,
    `${t.role} ${t.kind} (${t.side})${t.fullPrivate ? ' private' : ''}`,
    t.status,
    `${fiat}, ${sats}`,
    t.deadline ? `${t.deadline.what} ${ago(t.deadline.at)}` : '-',
    t.next === 'wait' || t.next === 'none' ? t.next : `next: ${NEXT_STEP_HELP[t.next]}`,
  ];
}

export function tradeDetail(t: TradeRecord): string[] {
  const [id, role, status, amounts, deadline, next] = tradeLine(t);
  const lines = [`order ${id}`, `  ${role}, status ${status}`, `  ${amounts}`, `  deadline: ${deadline}`, `  ${next}`];
  if (t.counterpartyPubkey) lines.push(`  counterparty trade key: ${t.counterpartyPubkey}`);
  if (t.counterpartyReputation) {
    const r = t.counterpartyReputation;
    lines.push(
      `  counterparty reputation: ★${r.rating.toFixed(1)} from ${r.reviews} reviews, ${r.operating_days} days on this node`,
    );
  }
  if (t.dispute)
    lines.push(
      `  dispute ${t.dispute.id}${t.dispute.solverPubkey ? `, solver ${t.dispute.solverPubkey}` : ', no solver yet'}`,
    );
  if (t.cooperativeCancel) lines.push(`  cooperative cancel requested ${t.cooperativeCancel}`);
  if (t.lastError) lines.push(`  last refusal: ${t.lastError}`);
  return lines;
}

/** The fields of a trade worth printing as JSON (no secrets exist in a record). */
export function tradeJson(t: TradeRecord) {
  return { ...t, nextCommand: NEXT_STEP_HELP[t.next] };
}
