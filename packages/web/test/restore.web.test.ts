// Restore from the 12 words alone in a fresh browser context, mid-trade: the open trade comes back
// at the step it is in, and so does its chat.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIdentity, type Person, person, type Stack, screenshot, startStack } from './support.ts';

let stack: Stack;
let alice: Person;
let bob: Person;
let bobWords: string[];

describe('web client: restore mid-trade', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    alice = await person(stack, 'alice');
    bob = await person(stack, 'bob');
    await createIdentity(alice, 'alice passphrase');
    bobWords = await createIdentity(bob, 'bob passphrase');
  });
  after(async () => {
    await stack?.stop();
  });

  it('brings back the active trade and its chat in a new context', async () => {
    const a = alice.page;
    await a.getByRole('link', { name: 'New order' }).click();
    await a.getByLabel('Amount in USD').fill('60');
    await a.getByLabel('A fixed number of sats').check();
    await a.getByLabel('Sats', { exact: true }).fill('25000');
    await a.getByLabel(/Payment methods/).fill('bank');
    await a.getByRole('button', { name: 'Publish the order' }).click();
    await a.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
    const b = bob.page;
    await b.getByRole('link', { name: 'Order book' }).click();
    await b
      .locator('[data-order]')
      .filter({ hasText: '60 USD' })
      .getByRole('button', { name: 'Buy' })
      .click({ timeout: 30_000 });
    await b.getByRole('button', { name: 'Take the order', exact: true }).click();
    await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click({ timeout: 60_000 });
    await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
    await b.getByRole('button', { name: 'Send' }).click();
    await a.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
    await b.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    await a.getByLabel('Message').fill('before you restore');
    await a.getByRole('button', { name: 'Send', exact: true }).click();
    await b.getByTestId('chat').getByText('before you restore').waitFor({ timeout: 30_000 });

    const fresh = await person(stack, 'bob-restored');
    const f = fresh.page;
    await f.getByRole('button', { name: 'Import 12 words' }).click();
    await f.getByLabel('Your 12 words').fill(bobWords.join(' '));
    await f.getByLabel('Passphrase', { exact: true }).fill('another passphrase');
    await f.getByLabel('Passphrase again').fill('another passphrase');
    await f.getByRole('button', { name: 'Continue' }).click();
    await f.getByText(/Done: 1 open trades found/).waitFor({ timeout: 120_000 });
    await screenshot(fresh, '18-restore');
    await f.getByRole('link', { name: 'My trades' }).first().click();
    await f.getByRole('link', { name: /Buying sats/ }).click();
    await f.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    await f.getByTestId('chat').getByText('before you restore').waitFor({ timeout: 60_000 });
    await f.getByRole('button', { name: 'I sent the fiat' }).waitFor();
    await screenshot(fresh, '19-restored-trade');
    await fresh.context.close();
    assert.ok(true);
  });
});
