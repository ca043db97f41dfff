// The simulator exercises the dev fee over real HTTP: its wallet API answers LNURL-pay for every
// simulated wallet, so `devfund@127.0.0.1:<port>` is a lightning address the node's own resolver
// (the one node/jobs.ts builds for the simulated backend) turns into an invoice and pays.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseDevFeeEvent } from '@mostro/protocol';
import { createHttpLnurlResolver } from '../../src/escrow/lnurl.ts';
import { startWalletServer, type WalletServer } from '../../src/lightning/simulated/wallet-server.ts';
import { Harness } from '../app/harness.ts';
import { completedTrade, DEV_FEE, DEV_WALLET, runDevFees } from './support.ts';

let h: Harness;
let server: WalletServer;
afterEach(async () => {
  await server?.close();
  h.close();
});

describe('dev fee to a simulated wallet by lightning address', () => {
  it('LNURL-pay over HTTP on loopback, paid once, audited with that address', async () => {
    h = new Harness();
    server = await startWalletServer(h.net, { port: 0 });
    const id = await completedTrade(h);
    const destination = `${DEV_WALLET}@127.0.0.1:${server.port}`;
    const resolver = createHttpLnurlResolver({ httpHosts: ['127.0.0.1'] });
    assert.deepEqual([...(await runDevFees(h, { destination, resolver }))], [[id, 'paid']]);
    assert.equal(h.balanceSats(DEV_WALLET), DEV_FEE);
    assert.equal(parseDevFeeEvent(h.events[0]).destination, destination);
    // The node's own wallet is not a lightning address of the wallet API.
    const own = createHttpLnurlResolver({ httpHosts: ['127.0.0.1'] });
    const refused = await own.invoice(`mostro@127.0.0.1:${server.port}`, 10);
    assert.equal(refused.ok, false);
    // Without loopback allowed (any non-simulated node), the address is refused, not fetched.
    assert.equal((await createHttpLnurlResolver().invoice(destination, 10)).ok, false);
  });
});
