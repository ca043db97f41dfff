// A sell trade, then a buy trade, end to end in real Chromium, two people in two browser contexts against a real
// mostrod: Alice (reputation) sells, Bob (full privacy) buys; chat both ways; ratings. Every
// screen is checked with axe-core and saved as a screenshot; every request and WebSocket either
// page opened must be the app's own origin (config, wallet proxy) or the node's relay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, createIdentity, type Person, person, type Stack, screenshot, startStack } from './support.ts';

let stack: Stack;
let alice: Person;
let bob: Person;
const a11y: Record<string, string[]> = {};

async function check(p: Person, screen: string) {
  await screenshot(p, screen);
  a11y[screen] = await axeViolations(p.page);
}

describe('web client: a sell trade between two browsers', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    alice = await person(stack, 'alice');
    bob = await person(stack, 'bob');
  });
  after(async () => {
    await stack?.stop();
  });

  it('creates identities with a confirmed backup', async () => {
    await alice.page.getByRole('button', { name: 'Create a new identity' }).waitFor();
    await check(alice, '01-welcome');
    const words = await createIdentity(alice, 'alice passphrase');
    assert.equal(words.length, 12);
    await createIdentity(bob, 'bob passphrase', true);
    await check(bob, '02-book-empty');
  });

  it('shows the node card with a connected relay', async () => {
    await alice.page.getByRole('link', { name: 'Node' }).click();
    await alice.page.getByText('connected').first().waitFor({ timeout: 30_000 });
    await alice.page.getByText('Fee per party').waitFor({ timeout: 30_000 });
    await check(alice, '03-node');
  });

  it('Alice publishes a sell order and Bob sees it in the book', async () => {
    const { page } = alice;
    await page.getByRole('link', { name: 'New order' }).click();
    await page.getByLabel('Amount in USD').fill('50');
    await page.getByLabel('A fixed number of sats').check();
    await page.getByLabel('Sats', { exact: true }).fill('20000');
    await page.getByLabel(/Payment methods/).fill('bank transfer');
    await check(alice, '04-create');
    await page.getByRole('button', { name: 'Publish the order' }).click();
    await page.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
    await check(alice, '05-trade-published');
    await bob.page.getByRole('link', { name: 'Order book' }).click();
    await bob.page.locator('[data-order]').filter({ hasText: '50 USD' }).waitFor({ timeout: 30_000 });
    await check(bob, '06-book');
  });

  it('Bob takes it, gives a payout invoice from the simulated wallet; Alice pays the hold invoice', async () => {
    await bob.page
      .locator('[data-order]')
      .filter({ hasText: '50 USD' })
      .getByRole('button', { name: 'Buy', exact: true })
      .click();
    await check(bob, '07-take-dialog');
    await bob.page.getByRole('button', { name: 'Take the order', exact: true }).click();
    await bob.page
      .getByRole('button', { name: 'Invoice from the simulated wallet' })
      .click({ timeout: 60_000 })
      .catch(async (e) => {
        await screenshot(bob, 'failed-take');
        throw e;
      });
    await bob.page.waitForFunction(() =>
      (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'),
    );
    await check(bob, '08-add-invoice');
    await bob.page.getByRole('button', { name: 'Send' }).click();
    await alice.page.getByTestId('hold-invoice').waitFor({ timeout: 60_000 });
    await alice.page.getByTestId('deadline').waitFor();
    await check(alice, '09-hold-invoice');
    await alice.page.getByRole('button', { name: 'Pay from the simulated wallet' }).click();
    await alice.page.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    await bob.page.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
  });

  it('they chat both ways', async () => {
    await bob.page.getByLabel('Message').fill('hello alice, sending now');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.page.getByTestId('chat').getByText('hello alice, sending now').waitFor({ timeout: 30_000 });
    await alice.page.getByLabel('Message').fill('thanks bob');
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.page.getByTestId('chat').getByText('thanks bob').waitFor({ timeout: 30_000 });
    await check(bob, '10-trade-chat');
  });

  it('fiat sent, release (each confirmed), success and ratings', async () => {
    await bob.page.getByRole('button', { name: 'I sent the fiat' }).click();
    await check(bob, '11-confirm-fiat-sent');
    await bob.page.getByRole('dialog').getByRole('button', { name: 'I sent the fiat' }).click();
    await alice.page.getByRole('button', { name: 'Release the sats' }).click({ timeout: 60_000 });
    await alice.page.getByRole('dialog').getByRole('button', { name: 'Release the sats' }).click();
    await alice.page.getByTestId('status').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
    await bob.page
      .getByTestId('status')
      .filter({ hasText: /Done|Released/ })
      .waitFor({ timeout: 60_000 });
    await alice.page.getByRole('button', { name: '5 stars' }).click({ timeout: 60_000 });
    await alice.page.getByText('your rating was sent').waitFor({ timeout: 60_000 });
    await bob.page.getByRole('button', { name: '4 stars' }).click({ timeout: 60_000 });
    await bob.page.getByText('your rating was sent').waitFor({ timeout: 60_000 });
    await check(alice, '12-trade-done');
  });

  it('then a buy trade: Bob (full privacy) wants sats, Alice sells them to him', async () => {
    const b = bob.page;
    await b.getByRole('link', { name: 'New order' }).click();
    await b.getByLabel('Buy sats').check();
    await b.getByLabel('Amount in USD').fill('40');
    await b.getByLabel('A fixed number of sats').check();
    await b.getByLabel('Sats', { exact: true }).fill('15000');
    await b.getByLabel(/Payment methods/).fill('cash');
    await b.getByRole('button', { name: 'Publish the order' }).click();
    await b.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
    const a = alice.page;
    await a.getByRole('link', { name: 'Order book' }).click();
    const row = a.locator('[data-order]').filter({ hasText: '40 USD' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Sell', exact: true }).click();
    await a.getByRole('button', { name: 'Take the order', exact: true }).click();
    await a.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
    await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click({ timeout: 60_000 });
    await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
    await b.getByRole('button', { name: 'Send' }).click();
    await a.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    await b.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    await a.getByLabel('Message').fill('cash at noon?');
    await a.getByRole('button', { name: 'Send', exact: true }).click();
    await b.getByTestId('chat').getByText('cash at noon?').waitFor({ timeout: 30_000 });
    await b.getByLabel('Message').fill('yes, see you');
    await b.getByRole('button', { name: 'Send', exact: true }).click();
    await a.getByTestId('chat').getByText('yes, see you').waitFor({ timeout: 30_000 });
    await b.getByRole('button', { name: 'I sent the fiat' }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'I sent the fiat' }).click();
    await a.getByRole('button', { name: 'Release the sats' }).click({ timeout: 60_000 });
    await check(alice, '17-confirm-release');
    await a.getByRole('dialog').getByRole('button', { name: 'Release the sats' }).click();
    await a.getByTestId('status').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
    await b.getByRole('button', { name: '5 stars' }).click({ timeout: 60_000 });
    await b.getByText('your rating was sent').waitFor({ timeout: 60_000 });
    await a.getByRole('button', { name: '5 stars' }).click({ timeout: 60_000 });
    await a.getByText('your rating was sent').waitFor({ timeout: 60_000 });
  });

  it('the other screens pass axe too', async () => {
    for (const [route, screen] of [
      ['#/trades', '13-trades'],
      ['#/notifications', '14-notifications'],
      ['#/settings', '15-settings'],
      ['#/wallet', '16-wallet'],
    ] as const) {
      await alice.page.goto(`${stack.web}/${route}`);
      await alice.page.locator('h1').first().waitFor();
      await check(alice, screen);
    }
  });

  it('no screen has a serious or critical accessibility violation', () => {
    const bad = Object.entries(a11y).filter(([, v]) => v.length > 0);
    assert.deepEqual(bad, []);
  });

  it('the pages talked only to their own origin and the node relay', () => {
    const origin = new URL(stack.web).origin;
    const relay = stack.node.relay.replace(/\/$/, '');
    for (const p of [alice, bob]) {
      const foreign = p.requests.filter((u) => !u.startsWith(`${origin}/`) && u.replace(/\/$/, '') !== relay);
      assert.deepEqual(foreign, [], `${p.name} contacted something else`);
      assert.ok(
        p.requests.some((u) => u.replace(/\/$/, '') === relay),
        `${p.name} used the relay`,
      );
    }
  });
});
