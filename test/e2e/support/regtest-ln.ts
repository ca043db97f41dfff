// The buyer's and seller's own LND nodes of the regtest network as the users' wallets (`Ln` of the
// trade script): the seller's LND pays hold invoices, the buyer's LND issues payout invoices.
import { type AuthenticatedLnd, createInvoice, getInvoice, payViaPaymentRequest } from 'lightning';
import { type RegtestEnv, rawLnd } from '../../../packages/daemon/test/lightning/regtest-env.ts';
import type { SdkUser } from './sdk-user.ts';
import type { Ln } from './trade-script.ts';

/**
 * Users named `buyer` and `seller` pay and get paid through the LND of that name. Hold-invoice
 * payments stay in flight until the node settles or cancels them: they are collected in `payments`.
 */
export function regtestLn(net: RegtestEnv, payments: Promise<unknown>[]): Ln {
  const lndOf = new Map<string, AuthenticatedLnd>([
    ['buyer', rawLnd(net.nodes.buyer)],
    ['seller', rawLnd(net.nodes.seller)],
  ]);
  const invoicesOf = new Map<string, string[]>();
  const lnd = (u: SdkUser) => {
    const l = lndOf.get(u.name);
    if (!l) throw new Error(`no LND for ${u.name}`);
    return l;
  };
  return {
    async invoice(u, sats) {
      const inv = await createInvoice({ lnd: lnd(u), tokens: sats, description: 'mostro e2e payout' });
      invoicesOf.set(u.name, [...(invoicesOf.get(u.name) ?? []), inv.id]);
      return inv.request;
    },
    async pay(u, bolt11) {
      // A hold invoice payment stays in flight until the node settles it (release): it runs in the
      // background, and the trade script waits for the node to report the escrow locked.
      // A canceled hold invoice rejects it: that is an outcome to inspect, not an unhandled error.
      const payment = payViaPaymentRequest({ lnd: lnd(u), request: bolt11, max_fee: 1000 });
      payment.catch(() => {});
      payments.push(payment);
    },
    /** What this user's payout invoices received so far. */
    async balance(u) {
      let sum = 0;
      for (const id of invoicesOf.get(u.name) ?? []) {
        const inv = await getInvoice({ lnd: lnd(u), id });
        if (inv.is_confirmed) sum += inv.received;
      }
      return sum;
    },
  };
}
