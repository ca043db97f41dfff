// WebLN in real Chromium: a `window.webln` provider injected before the app loads (enable and
// sendPayment, paying through the simulated wallet API the page is configured with) makes the
// "Pay with WebLN" button appear, and it pays the hold invoice; without a provider there is no
// such button.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimWallet } from '../../../test/e2e/support/mostrod.ts';
import {
  createIdentity,
  type Person,
  person,
  publishSellOrder,
  ScreenChecks,
  type Stack,
  startStack,
  takeSellOrder,
  waitForStatus,
} from './support.ts';

const WEBLN_WALLET = 'webln-alice';
/** A minimal WebLN provider (what a browser extension injects), backed by the simulated wallet. */
const PROVIDER = `
window.webln = {
  enabled: false,
  async enable() { this.enabled = true; },
  async getInfo() { return { node: { alias: 'test provider' } }; },
  async sendPayment(paymentRequest) {
    if (!this.enabled) throw new Error('webln: enable() first');
    if (window.__weblnDecline) throw new Error('User rejected the payment');
    const config = await (await fetch('/config.json')).json();
    const res = await fetch(config.wallet + '/wallets/${WEBLN_WALLET}/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request: paymentRequest }),
    });
    const body = await res.json();
    if (!res.ok || body.state === 'failed') throw new Error(body.failure_message || body.message || 'payment failed');
    window.__weblnPaid = (window.__weblnPaid || []).concat(paymentRequest);
    return { preimage: body.preimage || '' };
  },
};`;

let stack: Stack;
let alice: Person;
let carol: Person;
let bob: Person;
const screens = new ScreenChecks();

describe('web client: WebLN', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    alice = await person(stack, 'alice', PROVIDER);
    carol = await person(stack, 'carol');
    bob = await person(stack, 'bob');
    await createIdentity(alice, 'alice passphrase');
    await createIdentity(carol, 'carol passphrase');
    await createIdentity(bob, 'bob passphrase', true);
  });
  after(async () => {
    await stack?.stop();
  });

  it('without a provider there is no WebLN button on the hold invoice', async () => {
    const id = await publishSellOrder(carol, 31, 12_000);
    await takeSellOrder(bob, id);
    await carol.page.getByTestId('hold-invoice').waitFor({ timeout: 60_000 });
    await screens.check(carol, 'webln-01-absent');
    assert.equal(await carol.page.getByRole('button', { name: 'Pay with WebLN' }).count(), 0);
    assert.equal(await carol.page.evaluate(() => 'webln' in window), false);
  });

  it('with a provider the button pays the hold invoice', async () => {
    const provider = new SimWallet(stack.node.wallet as string, WEBLN_WALLET);
    await provider.fund(200_000);
    const before = await provider.balance();
    const id = await publishSellOrder(alice, 32, 13_000);
    await takeSellOrder(bob, id);
    const hold = alice.page.getByTestId('hold-invoice');
    await hold.waitFor({ timeout: 60_000 });
    await screens.check(alice, 'webln-02-present');
    const invoice = await alice.page.locator('#hold-text').inputValue();
    // The wallet declines first (the person said no): one clear message, nothing paid, still payable.
    await alice.page.evaluate(() => Object.assign(window, { __weblnDecline: true }));
    await hold.getByRole('button', { name: 'Pay with WebLN' }).click();
    await alice.page.getByRole('alert').filter({ hasText: 'User rejected the payment' }).waitFor({ timeout: 30_000 });
    assert.equal(await provider.balance(), before, 'nothing was paid');
    await waitForStatus(alice, 'Waiting for the escrow');
    await alice.page.evaluate(() => Object.assign(window, { __weblnDecline: false }));
    await hold.getByRole('button', { name: 'Pay with WebLN' }).click();
    await waitForStatus(alice, 'Escrow locked');
    await waitForStatus(bob, 'Escrow locked');
    await screens.check(alice, 'webln-03-paid');
    assert.deepEqual(await alice.page.evaluate(() => (window as unknown as { __weblnPaid: string[] }).__weblnPaid), [
      invoice,
    ]);
    assert.ok((await provider.balance()) <= before - 13_000, "the provider's wallet paid the hold invoice");
  });

  it('no screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(screens.failures(), []);
  });
});
