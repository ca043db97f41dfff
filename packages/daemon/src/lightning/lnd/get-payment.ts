import { type AuthenticatedLnd, type GetPaymentResult, getPayment as lndGetPayment } from 'lightning';
import { fail, type LnErrorCode, type LnResult, ok, type Payment } from '../backend.ts';
import { lndError } from './errors.ts';
import { isHash } from './get-hold-invoice.ts';

export interface LndFailureFlags {
  is_insufficient_balance?: boolean;
  is_invalid_payment?: boolean;
  is_pathfinding_timeout?: boolean;
  is_route_not_found?: boolean;
}

/** LND's final failure reason as a backend code. */
export function failureCode(flags: LndFailureFlags | undefined): LnErrorCode {
  if (flags?.is_pathfinding_timeout) return 'timeout';
  if (flags?.is_route_not_found || flags?.is_insufficient_balance) return 'no_route';
  return 'payment_failed';
}

/**
 * State of the payment for this hash as LND's router knows it. For a failed payment LND does not
 * report the amount, so amountSats is 0 (nothing was delivered).
 */
export async function getPayment(lnd: AuthenticatedLnd, hash: string): Promise<LnResult<Payment>> {
  if (!isHash(hash)) return fail('not_found', `not a payment hash: ${JSON.stringify(hash)}`);
  const id = hash.toLowerCase();
  let res: GetPaymentResult;
  try {
    res = await lndGetPayment({ lnd, id });
  } catch (err) {
    const e = lndError('getPayment', err);
    return fail(e.code, e.message);
  }
  if (res.is_confirmed && res.payment) {
    return ok({
      hash: id,
      state: 'succeeded',
      amountSats: res.payment.tokens,
      // Rounded up: the node never under-counts what routing cost it.
      feeSats: res.payment.safe_fee,
      preimage: res.payment.secret,
      failure: null,
    });
  }
  if (res.is_failed) {
    return ok({
      hash: id,
      state: 'failed',
      amountSats: 0,
      feeSats: 0,
      preimage: null,
      failure: failureCode(res.failed),
    });
  }
  if (res.is_pending) {
    return ok({
      hash: id,
      state: 'in_flight',
      amountSats: res.pending?.tokens ?? 0,
      feeSats: 0,
      preimage: null,
      failure: null,
    });
  }
  // Neither settled, failed nor pending: unknown, so callers must not act as if it failed.
  return fail('unavailable', `getPayment: LND reported no state for ${id}`);
}
