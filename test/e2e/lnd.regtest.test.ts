// The core trades on a real Lightning network: mostrod as a separate process with its LND backend
// pointed at the regtest `node` LND (cert and macaroon files), users through the SDK; the seller's
// LND pays the hold invoices, the buyer's LND issues the payout invoices. The regtest group of
// scripts/test.mjs starts the network (btcd + 3 LND, channels) and passes MOSTRO_REGTEST_*.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AuthenticatedLnd,
  authenticatedLndGrpc,
  createInvoice,
  getInvoice,
  payViaPaymentRequest,
} from 'lightning';
import { type RegtestEnv, type RegtestLnd, regtestEnv } from '../../packages/daemon/test/lightning/regtest-env.ts';
import { type Mostrod, startMostrod } from './support/mostrod.ts';
import { cleanup, onCleanup, tempDir, until } from './support/processes.ts';
import { type SdkUser, sdkUser } from './support/sdk-user.ts';
import { type Ln, playTrade } from './support/trade-script.ts';

const rawLnd = (n: RegtestLnd): AuthenticatedLnd =>
  authenticatedLndGrpc({ cert: n.tlsCertBase64, macaroon: n.macaroonBase64, socket: n.grpcHost }).lnd;

/** The buyer's and seller's own LND nodes as the users' wallets. */
function regtestLn(net: RegtestEnv, payments: Promise<unknown>[]): Ln {
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
      payments.push(payViaPaymentRequest({ lnd: lnd(u), request: bolt11, max_fee: 1000 }));
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

describe('the core trades on LND regtest', () => {
  let net: RegtestEnv;
  let node: Mostrod;
  let seller: SdkUser;
  let buyer: SdkUser;
  const payments: Promise<unknown>[] = [];

  before(async () => {
    net = regtestEnv();
    const n = net.nodes.node;
    node = await startMostrod(join(tempDir('mostro-e2e-lnd'), 'node'), {
      MOSTRO_LIGHTNING_BACKEND: 'lnd',
      MOSTRO_LIGHTNING_LND_GRPC_HOST: n.grpcHost,
      MOSTRO_LIGHTNING_LND_CERT_FILE: n.tlsCertPath,
      MOSTRO_LIGHTNING_LND_MACAROON_FILE: n.macaroonPath,
    });
    const o = { relays: [node.relay], node: node.pubkey };
    seller = await sdkUser('seller', { ...o, privacy: 'reputation' });
    buyer = await sdkUser('buyer', { ...o, privacy: 'full-private' });
    onCleanup(() => seller.close());
    onCleanup(() => buyer.close());
  });
  after(async () => {
    await cleanup();
  });

  for (const kind of ['sell', 'buy'] as const) {
    it(`a ${kind} trade: hold invoice paid by the seller's LND, payout to the buyer's LND`, async () => {
      const ln = regtestLn(net, payments);
      const o = await playTrade({
        kind,
        pricing: 'fixed',
        maker: kind === 'sell' ? seller : buyer,
        taker: kind === 'sell' ? buyer : seller,
        ln,
        tag: `[regtest ${kind} ${crypto.randomUUID()}]`,
      });
      // The seller's payment of the hold invoice completes once the node settled it.
      const settled = (await until('the hold invoice payment settles', () => Promise.allSettled(payments), 60_000)).at(
        -1,
      );
      assert.equal(settled?.status, 'fulfilled', `the seller's payment settled: ${JSON.stringify(settled)}`);
      assert.equal(o.buyerTrade.status, 'success');
    });
  }
});
