// The core trades on a real Lightning network: mostrod as a separate process with its LND backend
// pointed at the regtest `node` LND (cert and macaroon files), users through the SDK; the seller's
// LND pays the hold invoices, the buyer's LND issues the payout invoices. The regtest group of
// scripts/test.mjs starts the network (btcd + 3 LND, channels) and passes MOSTRO_REGTEST_*.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RegtestEnv, regtestEnv } from '../../packages/daemon/test/lightning/regtest-env.ts';
import { type Mostrod, startMostrod } from './support/mostrod.ts';
import { cleanup, onCleanup, tempDir, until } from './support/processes.ts';
import { regtestLn } from './support/regtest-ln.ts';
import { type SdkUser, sdkUser } from './support/sdk-user.ts';
import { playTrade } from './support/trade-script.ts';

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
