// Why no route was found within the fee limit: a route that exists but costs more than the limit
// means fee_too_high; a destination the graph does not know (and no route hints) means
// payee_offline; otherwise no_route (including a cheap enough route that lacked liquidity).
import { type AuthenticatedLnd, getNode, getRouteToDestination } from 'lightning';
import type { LnError } from '../backend.ts';
import type { LndDecoded } from './decode-invoice.ts';

export async function explainNoRoute(
  lnd: AuthenticatedLnd,
  raw: LndDecoded,
  tokens: number,
  maxFeeSats: number,
): Promise<LnError> {
  try {
    const { route } = await getRouteToDestination({
      lnd,
      destination: raw.destination,
      tokens,
      cltv_delta: raw.cltv_delta,
      routes: raw.routes,
      features: raw.features,
      ...(raw.payment ? { payment: raw.payment, total_mtokens: String(BigInt(tokens) * 1000n) } : {}),
    });
    if (route && route.safe_fee > maxFeeSats) {
      return { code: 'fee_too_high', message: `the cheapest route costs ${route.safe_fee} sats, over ${maxFeeSats}` };
    }
  } catch {
    // No route at any fee: look at the destination below.
  }
  if (!raw.routes?.length) {
    const known = await getNode({ lnd, public_key: raw.destination, is_omitting_channels: true }).then(
      () => true,
      () => false,
    );
    if (!known) return { code: 'payee_offline', message: `payee ${raw.destination} is unknown to the graph` };
  }
  return { code: 'no_route', message: `no route to ${raw.destination} for ${tokens} sats` };
}
