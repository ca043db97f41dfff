// Small text helpers of the console's screens.
import type { UserInfo } from '@mostro/protocol';
import { type Reputation, reputation } from './disputes.ts';
import { ct } from './i18n.ts';

export function ago(at: number, now: number): string {
  const s = Math.max(0, now - at);
  if (s < 60) return ct('ago.now');
  if (s < 3600) return ct('ago.min', { n: Math.floor(s / 60) });
  if (s < 86_400) return ct('ago.h', { n: Math.floor(s / 3600) });
  return ct('ago.d', { n: Math.floor(s / 86_400) });
}

export function repText(fullPrivacy: boolean, info: UserInfo | null): string {
  return repLabel(reputation(fullPrivacy, info));
}

export function repLabel(r: Reputation): string {
  if (r.kind === 'private') return ct('rep.private');
  if (r.kind === 'unknown') return ct('rep.unknown');
  return r.reviews === 0
    ? ct('rep.new', { d: r.days })
    : ct('rep.rated', { r: r.rating.toFixed(1), n: r.reviews, d: r.days });
}

export const when = (at: number): string => new Date(at * 1000).toLocaleString();
export const short = (hex: string | null): string => (hex ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : '?');
