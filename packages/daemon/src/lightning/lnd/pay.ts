import type { EventEmitter } from 'node:events';
import { type AuthenticatedLnd, subscribeToPayViaRequest } from 'lightning';
import { fail, type LnError, type LnResult, ok, type PayArgs, type Payment } from '../backend.ts';
import { amountToPay } from './amount.ts';
import { decodeWithLnd } from './decode-invoice.ts';
import { lndError } from './errors.ts';
import { failureCode, getPayment, type LndFailureFlags } from './get-payment.ts';
import { explainNoRoute } from './no-route.ts';
import { notOwnInvoice } from './own-invoice.ts';

type Outcome =
  | { kind: 'confirmed'; tokens: number; fee: number; secret: string }
  | { kind: 'failed'; flags: LndFailureFlags }
  | { kind: 'error'; error: LnError }
  | { kind: 'waiting' };

/** Follows LND's payment stream until it is final or the time is up (it then goes on inside LND). */
function follow(sub: EventEmitter, timeoutSeconds: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      sub.removeAllListeners();
      sub.on('error', () => {});
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ kind: 'waiting' }), timeoutSeconds * 1000);
    sub.on('confirmed', (p: { tokens: number; safe_fee: number; secret: string }) =>
      done({ kind: 'confirmed', tokens: p.tokens, fee: p.safe_fee, secret: p.secret }),
    );
    sub.on('failed', (flags: LndFailureFlags) => done({ kind: 'failed', flags }));
    sub.on('error', (err: unknown) => done({ kind: 'error', error: lndError('pay', err) }));
  });
}

/**
 * The same LND connection, but the payment streams its router opens are kept so they can be closed
 * once we stop listening: `lightning` leaves them open until the payment ends, which for a held
 * payment can be never. Closing the stream does not stop the payment; LND's router owns it.
 */
function capturingPaymentStreams(lnd: AuthenticatedLnd): { lnd: AuthenticatedLnd; closeStreams: () => void } {
  const streams: { cancel: () => void }[] = [];
  const router = new Proxy(lnd.router, {
    get(target, prop) {
      const member = Reflect.get(target, prop, target);
      if (prop !== 'sendPaymentV2' || typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const stream = member.apply(target, args);
        streams.push(stream);
        return stream;
      };
    },
  });
  const closeStreams = () => {
    for (const stream of streams) stream.cancel();
  };
  return { lnd: { ...lnd, router }, closeStreams };
}

/**
 * Pays a BOLT-11 request at most once per payment hash. A hash LND already knows as in flight or
 * succeeded is reported, not paid again; after a definite failure (no HTLC left) a new attempt is
 * made, which is how retries work. When the outcome is not known, the result is an error and the
 * caller must reconcile with getPayment; a failure is only reported when LND says so.
 */
export async function pay(lnd: AuthenticatedLnd, args: PayArgs): Promise<LnResult<Payment>> {
  const decoded = await decodeWithLnd(lnd, args.request);
  if (!decoded.ok) return decoded;
  const { raw } = decoded.value;
  const hash = raw.id;
  const amount = amountToPay(raw, args.amountSats);
  if (!amount.ok) return amount;
  if (!(Number.isSafeInteger(args.maxFeeSats) && args.maxFeeSats >= 0)) {
    return fail('fee_too_high', `bad fee limit ${args.maxFeeSats}`);
  }
  if (!(Number.isFinite(args.timeoutSeconds) && args.timeoutSeconds > 0)) {
    return fail('timeout', `bad timeout ${args.timeoutSeconds}`);
  }

  const notOwn = await notOwnInvoice(lnd, raw.destination);
  if (!notOwn.ok) return notOwn;
  const earlier = await getPayment(lnd, hash);
  if (earlier.ok && earlier.value.state !== 'failed') return earlier;
  if (!earlier.ok && earlier.error.code !== 'not_found') return earlier; // cannot tell: do not pay
  if (raw.is_expired) return fail('expired', 'invoice has expired');

  const { tokens, amountless } = amount.value;
  const capture = capturingPaymentStreams(lnd);
  let sub: EventEmitter;
  try {
    sub = subscribeToPayViaRequest({
      lnd: capture.lnd,
      request: args.request.trim().replace(/^lightning:/i, ''),
      max_fee: args.maxFeeSats,
      pathfinding_timeout: Math.max(1, Math.floor(args.timeoutSeconds)) * 1000,
      ...(amountless ? { tokens } : {}),
    });
  } catch (err) {
    const e = lndError('pay', err, 'invalid_invoice');
    return fail(e.code, e.message);
  }
  const outcome = await follow(sub, args.timeoutSeconds);
  capture.closeStreams();
  const base = { hash, amountSats: tokens, preimage: null, feeSats: 0 };
  switch (outcome.kind) {
    case 'confirmed':
      return ok({ ...base, state: 'succeeded', feeSats: outcome.fee, preimage: outcome.secret, failure: null });
    case 'failed': {
      let failure = failureCode(outcome.flags);
      if (failure === 'no_route') failure = (await explainNoRoute(lnd, raw, tokens, args.maxFeeSats)).code;
      return ok({ ...base, state: 'failed', failure });
    }
    default: {
      // Still going, or the stream broke: LND's record of the hash is the truth.
      const now = await getPayment(lnd, hash);
      if (now.ok) return ok(now.value.state === 'failed' ? { ...now.value, amountSats: tokens } : now.value);
      if (outcome.kind === 'error' && now.error.code === 'not_found')
        return fail(outcome.error.code, outcome.error.message);
      return now;
    }
  }
}
