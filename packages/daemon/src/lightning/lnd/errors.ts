// LND failures, as the `lightning` package reports them ([status, 'Code', { err }] arrays with the
// gRPC error in `err.details`, or thrown Errors), mapped to the backend's error codes. Anything not
// recognised is 'unavailable': the caller must assume the call may have taken effect and reconcile.
import type { LnError, LnErrorCode } from '../backend.ts';

const RULES: [RegExp, LnErrorCode][] = [
  [/already exists/i, 'already_exists'],
  [/unable to find a path|no route|RouteNotFound|insufficient (local )?balance/i, 'no_route'],
  [
    /SecretDoesNotMatchAnyExistingHodlInvoice|unable to locate invoice|SentPaymentNotFound|payment isn't initiated|not found/i,
    'not_found',
  ],
  [
    /CannotSettleHtlcBeforeHtlcReceived|invoice still open|already settled|already canceled|cannot cancel|invoice.*not.*accepted/i,
    'invalid_state',
  ],
  [/invoice expired|InvoiceIsExpired|is expired/i, 'expired'],
  [
    /not for current active network|ExpectedValidPaymentRequest|invalid (payment request|bech32|index|character|checksum)|checksum failed|ExpectedPaymentRequest|zero amount|amount must be specified|amount must not be specified/i,
    'invalid_invoice',
  ],
  [/fee limit|FeeLimit|fee exceeds/i, 'fee_too_high'],
  [/self-payment|self payment/i, 'payment_failed'],
  [
    /FailedToConnectToDaemon|UNAVAILABLE|Connect Failed|No connection established|LndLocked|ECONNREFUSED|server is still in the process of starting/i,
    'unavailable',
  ],
  [/DEADLINE_EXCEEDED|timed ?out|timeout/i, 'timeout'],
];

const textOf = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  if (Array.isArray(err)) {
    const [status, code, extra] = err as [unknown, unknown, { err?: { details?: string; message?: string } }?];
    const inner = extra?.err ? ` ${extra.err.details ?? extra.err.message ?? ''}` : '';
    return `${String(code)}${inner} (${String(status)})`;
  }
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
};

/** Maps a failure of `what` (an LND call) to an LnError; `fallback` when nothing matches. */
export function lndError(what: string, err: unknown, fallback: LnErrorCode = 'unavailable'): LnError {
  const text = textOf(err);
  const rule = RULES.find(([pattern]) => pattern.test(text));
  return { code: rule ? rule[1] : fallback, message: `${what}: ${text}` };
}
