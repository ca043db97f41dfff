// Anti-abuse bonds in real Chromium against a real mostrod with taker bonds: Bob takes Alice's sell
// order, sees the bond invoice with its amount, pays it from the simulated wallet, and the trade
// goes on to its next step (his payout invoice). Then a solver cancels the disputed trade slashing
// Bob's bond, Bob sees it slashed, and Alice claims her share with an invoice from the simulated
// wallet. Every bond screen is checked with axe-core and saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../../../test/e2e/support/processes.ts';
import {
  addSolver,
  createIdentity,
  openDispute,
  type Person,
  person,
  publishSellOrder,
  type Stack,
  screenChecks,
  startStack,
  waitForStatus,
} from './support.ts';

let stack: Stack;
let alice: Person;
let bob: Person;
const checks = screenChecks();

describe('web client: a taker bond', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({
      MOSTRO_ANTI_ABUSE_BOND_ENABLED: 'true',
      MOSTRO_ANTI_ABUSE_BOND_APPLY_TO: 'take',
      MOSTRO_ANTI_ABUSE_BOND_AMOUNT_PCT: '0.01',
      MOSTRO_ANTI_ABUSE_BOND_BASE_AMOUNT_SATS: '1000',
    });
    alice = await person(stack, 'alice');
    bob = await person(stack, 'bob');
    await createIdentity(alice, 'alice passphrase');
    await createIdentity(bob, 'bob passphrase', true);
  });
  after(async () => {
    await stack?.stop();
  });

  it('the taker pays the bond from the simulated wallet and the trade goes on', async () => {
    const id = await publishSellOrder(alice, 50, 20_000);
    const b = bob.page;
    await b.getByRole('link', { name: 'Order book' }).click();
    await b
      .locator(`[data-order="${id}"]`)
      .getByRole('button', { name: 'Buy', exact: true })
      .click({ timeout: 30_000 });
    await b.getByRole('button', { name: 'Take the order', exact: true }).click();
    const panel = b.getByTestId('bond-invoice');
    await panel.waitFor({ timeout: 60_000 });
    // max(round(20 000 × 1 %), 1 000) = 1 000 sats
    await panel.getByText('a bond of 1000 sats').waitFor();
    assert.match(await b.locator('#bond-text').inputValue(), /^ln/);
    await b.getByRole('heading', { name: 'Pay the anti-abuse bond' }).waitFor();
    await waitForStatus(bob, "Waiting for the taker's bond");
    await checks.check(bob, 'bond-01-invoice');
    await b.getByRole('button', { name: 'Pay the bond from the simulated wallet' }).click();
    // The bond locks, the take goes on: Bob is asked for his payout invoice.
    await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).waitFor({ timeout: 60_000 });
    await b.getByTestId('bond-state').filter({ hasText: 'Bond of 1000 sats locked' }).waitFor({ timeout: 30_000 });
    assert.equal(await panel.count(), 0);
    await checks.check(bob, 'bond-02-locked');
    await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click();
    await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
    await b.getByRole('button', { name: 'Send the invoice' }).click();
    await alice.page.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
    await waitForStatus(alice, 'Escrow locked');
    await waitForStatus(bob, 'Escrow locked');
    assert.deepEqual(checks.bad(), []);
  });

  it("a solver slashes the taker's bond; the seller claims her share in the browser", async () => {
    const solver = await addSolver(stack);
    try {
      await openDispute(alice);
      const dispute = await until(
        'the dispute event',
        async () => (await solver.admin.disputes('initiated'))[0],
        60_000,
        500,
      );
      const taken = await solver.admin.takeDispute(dispute.id);
      await solver.admin.cancel(taken.info.id, { buyer: true });
    } finally {
      solver.close();
    }
    await bob.page
      .getByTestId('bond-state')
      .filter({ hasText: 'Your bond of 1000 sats was slashed' })
      .waitFor({ timeout: 60_000 });
    const a = alice.page;
    const form = a.getByTestId('bond-claim');
    // The share is the bond less the node's half (slash_node_share_pct 0.5).
    await form.getByText('exactly 500 sats').waitFor({ timeout: 60_000 });
    await checks.check(alice, 'bond-03-claim');
    await form.getByRole('button', { name: 'Make the invoice in the simulated wallet' }).click();
    await a.waitForFunction(() =>
      (document.getElementById('bond-claim-invoice') as HTMLInputElement)?.value.startsWith('ln'),
    );
    await form.getByRole('button', { name: 'Claim', exact: true }).click();
    await a
      .getByTestId('bond-claim-state')
      .filter({ hasText: 'Bond share of 500 sats paid to you' })
      .waitFor({ timeout: 60_000 });
    await checks.check(alice, 'bond-04-claim-paid');
    assert.deepEqual(checks.bad(), []);
  });
});
