// Bounds on what a new order may be (issue 13 item 4), beyond the reference's own checks: a premium
// in range, payment methods of sane length and count, a real currency code, a positive trade index.
// Pure: the caller maps a refusal to its cant-do reply.
import type { CantDoReason, SmallOrder } from '@mostro/protocol';

export interface OrderBounds {
  max_premium: number;
  max_payment_method_length: number;
  max_payment_methods: number;
}

/** ISO 4217 codes as this runtime's ICU knows them (about 160), upper-case. */
const ISO_4217 = new Set(Intl.supportedValuesOf('currency').map((c) => c.toUpperCase()));

/** Upper-case, trimmed: `usd` and `USD` are one currency. */
export const normaliseFiatCode = (code: string): string => code.trim().toUpperCase();

/**
 * A currency is acceptable when the operator lists it, or — with no list — when it is ISO 4217.
 * (An operator may list non-ISO codes such as pegged tokens on purpose.)
 */
export function fiatCodeAccepted(code: string, accepted: readonly string[]): boolean {
  return accepted.length > 0 ? accepted.includes(code) : ISO_4217.has(code);
}

export type SanityVerdict = { ok: true } | { ok: false; reason: CantDoReason; detail: string };

export function checkOrderBounds(order: SmallOrder, bounds: OrderBounds): SanityVerdict {
  const refuse = (reason: CantDoReason, detail: string): SanityVerdict => ({ ok: false, reason, detail });
  if (!Number.isSafeInteger(order.premium) || Math.abs(order.premium) > bounds.max_premium)
    return refuse('invalid_parameters', `premium outside ±${bounds.max_premium}`);
  const method = order.payment_method;
  if (method.trim() === '') return refuse('invalid_parameters', 'empty payment method');
  if (method.length > bounds.max_payment_method_length)
    return refuse('invalid_parameters', `payment method longer than ${bounds.max_payment_method_length}`);
  if (method.split(',').length > bounds.max_payment_methods)
    return refuse('invalid_parameters', `more than ${bounds.max_payment_methods} payment methods`);
  return { ok: true };
}

/**
 * new-order's trade index: in reputation mode it must be ≥ 1 (the reference would store a negative
 * one); a full-private maker may send none (null or 0) but never a negative one.
 */
export function tradeIndexAcceptable(tradeIndex: number | null, fullPrivacy: boolean): boolean {
  if (tradeIndex === null) return fullPrivacy;
  return tradeIndex >= 1 || (fullPrivacy && tradeIndex === 0);
}
