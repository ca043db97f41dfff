import { type AuthenticatedLnd, probeForRoute } from 'lightning';
import { fail, type LnResult, ok } from '../backend.ts';
import { amountToPay } from './amount.ts';
import { decodeWithLnd } from './decode-invoice.ts';
import { lndError } from './errors.ts';
import { explainNoRoute } from './no-route.ts';
import { notOwnInvoice } from './own-invoice.ts';

const PROBE_TIMEOUT_MS = 60_000;

/** Sends a probe (an HTLC the payee must refuse) along a route within maxFeeSats; nothing is paid. */
export async function probeRoute(
  lnd: AuthenticatedLnd,
  request: string,
  amountSats: number,
  maxFeeSats: number,
): Promise<LnResult<{ feeSats: number }>> {
  const decoded = await decodeWithLnd(lnd, request);
  if (!decoded.ok) return decoded;
  const { raw } = decoded.value;
  if (raw.is_expired) return fail('expired', 'invoice has expired');
  const notOwn = await notOwnInvoice(lnd, raw.destination);
  if (!notOwn.ok) return notOwn;
  const amount = amountToPay(raw, amountSats);
  if (!amount.ok) return amount;
  if (!(Number.isSafeInteger(maxFeeSats) && maxFeeSats >= 0))
    return fail('fee_too_high', `bad fee limit ${maxFeeSats}`);
  const { tokens } = amount.value;
  try {
    const { route } = await probeForRoute({
      lnd,
      destination: raw.destination,
      tokens,
      max_fee: maxFeeSats,
      cltv_delta: raw.cltv_delta,
      routes: raw.routes,
      features: raw.features,
      probe_timeout_ms: PROBE_TIMEOUT_MS,
      ...(raw.payment ? { payment: raw.payment, total_mtokens: String(BigInt(tokens) * 1000n) } : {}),
    });
    if (route) return ok({ feeSats: route.safe_fee });
  } catch (err) {
    const e = lndError('probeRoute', err, 'no_route');
    if (e.code !== 'no_route') return fail(e.code, e.message);
  }
  const why = await explainNoRoute(lnd, raw, tokens, maxFeeSats);
  return fail(why.code, why.message);
}
