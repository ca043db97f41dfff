import type { OrderBookEntry } from '@mostro/client';

export const fiat = (e: Pick<OrderBookEntry, 'fiatAmount' | 'fiatCode'>): string =>
  `${e.fiatAmount.length === 2 ? `${e.fiatAmount[0]}–${e.fiatAmount[1]}` : e.fiatAmount[0]} ${e.fiatCode}`;

export function countdown(at: number, now: number): string {
  const s = Math.max(0, at - now);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** A BOLT-11 invoice (any network) or a lightning address; the node does the real checks. */
export function looksLikeInvoice(text: string): boolean {
  const v = text.trim().toLowerCase();
  return /^ln(bc|tb|bcrt|sb)[0-9a-z]{20,}$/.test(v) || /^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(v);
}
