// Bad input in the browser shows one clear message where the person is looking, and changes
// nothing: a wrong passphrase, an amount outside the node's limits, a bad invoice, an order
// someone else just took, and a relay that is down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createIdentity, type Person, person, type Stack, screenshot, startStack } from './support.ts';

let stack: Stack;
let alice: Person;
let bob: Person;
let carol: Person;

async function oneError(page: Page, text: RegExp) {
  const errors = page.locator('.error');
  await errors.first().waitFor({ timeout: 60_000 });
  assert.equal(await errors.count(), 1, 'exactly one message');
  assert.match((await errors.first().textContent()) ?? '', text);
}

describe('web client: bad input', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    alice = await person(stack, 'alice');
    bob = await person(stack, 'bob');
    carol = await person(stack, 'carol');
    await createIdentity(alice, 'alice passphrase');
    await createIdentity(bob, 'bob passphrase');
    await createIdentity(carol, 'carol passphrase', true);
  });
  after(async () => {
    await stack?.stop();
  });

  it('a wrong passphrase is refused and the right one opens the session', async () => {
    const { page } = alice;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByLabel('Passphrase').fill('not my passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await oneError(page, /Wrong passphrase/);
    await screenshot(alice, 'bad-passphrase');
    await page.getByLabel('Passphrase').fill('alice passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('link', { name: 'New order' }).waitFor({ timeout: 60_000 });
  });

  it("an amount outside the node's limits is refused before anything is sent", async () => {
    const { page } = alice;
    await page.getByRole('link', { name: 'Node' }).click();
    await page.getByText('Fee per party').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'New order' }).click();
    await page.getByLabel('Amount in USD').fill('50');
    await page.getByLabel('A fixed number of sats').check();
    await page.getByLabel('Sats', { exact: true }).fill('50000000');
    await page.getByLabel(/Payment methods/).fill('bank');
    await page.getByRole('button', { name: 'Publish the order' }).click();
    await oneError(page, /outside this node's limits/);
    await screenshot(alice, 'bad-amount');
    assert.equal(await page.evaluate(() => location.hash), '#/create', 'still on the form');
  });

  it('a bad invoice is refused with one message', async () => {
    const { page } = alice;
    await page.getByLabel('Buy sats').check();
    await page.getByLabel('Sats', { exact: true }).fill('20000');
    await page.getByLabel(/Payout invoice/).fill('not-an-invoice');
    await page.getByRole('button', { name: 'Publish the order' }).click();
    await oneError(page, /not a Lightning invoice/);
  });

  it('an order someone else just took: one message for the late taker', async () => {
    const { page } = alice;
    await page.getByLabel('Sell sats').check();
    await page.getByLabel('Amount in USD').fill('70');
    await page.getByLabel('Sats', { exact: true }).fill('30000');
    await page.getByRole('button', { name: 'Publish the order' }).click();
    await page.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
    for (const p of [bob, carol]) {
      await p.page.getByRole('link', { name: 'Order book' }).click();
      await p.page
        .locator('[data-order]')
        .filter({ hasText: '70 USD' })
        .getByRole('button', { name: 'Buy' })
        .click({ timeout: 30_000 });
    }
    await bob.page.getByRole('button', { name: 'Take the order', exact: true }).click();
    await bob.page.getByTestId('status').waitFor({ timeout: 60_000 });
    await carol.page.getByRole('button', { name: 'Take the order', exact: true }).click();
    await oneError(carol.page, /Someone else just took this order|no longer available/);
    await screenshot(carol, 'bad-taken');
  });

  it('a relay that is down: the node card says so in one message', async () => {
    const { page } = carol;
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Relays (one per line)').fill('ws://127.0.0.1:9');
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await page.getByText('Saved; connected to this node.').waitFor();
    await page.getByRole('link', { name: 'Node' }).click();
    await oneError(page, /relay|node did not answer/i);
    await page
      .getByText(/down \(retrying\)|connecting/)
      .first()
      .waitFor();
    await screenshot(carol, 'bad-relay-down');
  });
});
