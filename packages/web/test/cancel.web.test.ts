// Cooperative cancel in real Chromium: with the escrow locked, the buyer asks to cancel, the seller
// agrees; both pages show the trade canceled and the seller's simulated wallet holds again exactly
// what it held before paying the hold invoice (on the node's ledger and on the wallet screen).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../../test/e2e/support/processes.ts';
import { confirmAction, ScreenChecks, sellTradeToActive, traders, waitForStatus, walletOf } from './support.ts';

const screens = new ScreenChecks();

describe('web client: cooperative cancel', { timeout: 600_000 }, () => {
  const w = traders();

  it('one asks, the other agrees, the locked sats go back to the seller', async () => {
    const { stack, alice, bob } = w;
    // Funded up front so that paying the hold invoice does not use the faucet: the balance before
    // the trade is then exactly what must come back.
    const sellerWallet = await walletOf(stack, alice);
    await sellerWallet.fund(500_000);
    const before = await sellerWallet.balance();

    await sellTradeToActive(alice, bob, 45, 18_000);
    assert.ok((await sellerWallet.balance()) <= before - 18_000, 'the hold invoice locked the sats');

    await confirmAction(bob, 'Cancel', { checks: screens, screen: 'cancel-01-confirm-ask' });
    await bob.page.getByTestId('cancel-state').filter({ hasText: 'You asked to cancel' }).waitFor({ timeout: 60_000 });
    await screens.check(bob, 'cancel-02-asked');
    await alice.page
      .getByTestId('cancel-state')
      .filter({ hasText: 'The other party asks to cancel' })
      .waitFor({ timeout: 60_000 });
    await confirmAction(alice, 'Agree to cancel', { checks: screens, screen: 'cancel-03-confirm-agree' });
    await waitForStatus(alice, 'Canceled by both');
    await waitForStatus(bob, 'Canceled by both');
    await screens.check(alice, 'cancel-04-canceled');
    assert.equal(await alice.page.getByRole('button', { name: 'Cancel', exact: true }).count(), 0, 'nothing to cancel');

    await until('the refund', async () => ((await sellerWallet.balance()) === before ? true : undefined), 60_000);
    await alice.page.getByRole('link', { name: 'Test wallet' }).click();
    await alice.page
      .getByTestId('balance')
      .filter({ hasText: `Balance: ${before} sats` })
      .waitFor({ timeout: 30_000 });
    await screens.check(alice, 'cancel-05-wallet');
  });

  it('no screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(screens.failures(), []);
  });
});
