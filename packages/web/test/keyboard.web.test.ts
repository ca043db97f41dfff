// A whole sell trade by keyboard alone at 375×812 in real Chromium: create, take, pay the hold
// invoice from the simulated wallet, fiat sent, release, rate, with Tab / Shift+Tab / arrows /
// Enter / Space and typing, no clicks at all, from the identities on. At every Tab stop the focus
// must be visible; dialogs must take the focus, keep it while open and give it back when closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Keyboard } from './keyboard.ts';
import { type Person, person, ScreenChecks, type Stack, startStack, tradeIdOf, waitForStatus } from './support.ts';

let ak: Keyboard;
let bk: Keyboard;
let orderId: string;
const screens = new ScreenChecks();

/** A button of the trade page itself (not of a dialog over it). */
const pageButton = (p: Person, name: string) =>
  p.page.locator('main .actions button, main .panel button').filter({ hasText: name });

/** Makes an identity on the welcome screen by keyboard: 12 words read off the screen, 3 typed back. */
async function identityByKeyboard(p: Person, kb: Keyboard, passphrase: string, fullPrivate: boolean): Promise<void> {
  const { page } = p;
  await kb.activate(page.getByRole('button', { name: 'Create a new identity' }));
  // The step's heading takes the focus (the button that was focused is gone).
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 10_000 });
  if (fullPrivate) await kb.choose(page.getByLabel(/Full privacy mode/));
  await kb.fill(page.getByLabel('Passphrase', { exact: true }), passphrase);
  await kb.fill(page.getByLabel('Passphrase again'), passphrase);
  await kb.press('Enter');
  // The words appear once the session is sealed (scrypt: seconds on a loaded machine).
  await page.getByTestId('mnemonic').locator('li').nth(11).waitFor({ timeout: 60_000 });
  const words = (await page.getByTestId('mnemonic').locator('li').allTextContents()).map((t) =>
    t.replace(/^\s*\d+\s*/, '').trim(),
  );
  await kb.activate(page.getByRole('button', { name: 'I wrote them down' }), ' ');
  for (const input of await page.locator('input[id^="w"]').all()) {
    const label = await page.locator(`label[for="${await input.getAttribute('id')}"]`).textContent();
    await kb.fill(input, words[Number(label?.match(/\d+/)?.[0]) - 1] as string);
  }
  await kb.press('Enter');
  await page.getByRole('link', { name: 'Order book' }).waitFor({ timeout: 60_000 });
}

describe('web client: a sell trade by keyboard alone', { timeout: 600_000 }, () => {
  const w = {} as { stack: Stack; alice: Person; bob: Person };
  before(async () => {
    w.stack = await startStack();
    w.alice = await person(w.stack, 'alice');
    w.bob = await person(w.stack, 'bob');
    ak = new Keyboard(w.alice.page);
    bk = new Keyboard(w.bob.page);
  });
  after(async () => {
    await w.stack?.stop();
  });

  it('both make their identities by keyboard', async () => {
    await identityByKeyboard(w.alice, ak, 'alice passphrase', false);
    await identityByKeyboard(w.bob, bk, 'bob passphrase', true);
    await screens.check(w.bob, 'kbd-00-book');
  });

  it('Alice creates a sell order by keyboard', async () => {
    const a = w.alice.page;
    await ak.activate(a.getByRole('link', { name: 'New order' }));
    await ak.fill(a.getByLabel('Amount in USD'), '50');
    await ak.choose(a.getByLabel('A fixed number of sats'));
    await ak.fill(a.getByLabel('Sats', { exact: true }), '20000');
    await ak.fill(a.getByLabel(/Payment methods/), 'bank transfer');
    await ak.tabTo(a.getByRole('button', { name: 'Publish the order' }));
    await screens.check(w.alice, 'kbd-01-create-focused');
    await ak.press('Enter');
    await waitForStatus(w.alice, 'Published');
    orderId = await tradeIdOf(w.alice);
  });

  it('Bob takes it by keyboard: the take dialog holds the focus, Escape gives it back', async () => {
    const b = w.bob.page;
    await bk.activate(b.getByRole('link', { name: 'Order book' }));
    const take = b.locator(`[data-order="${orderId}"]`).getByRole('button', { name: 'Buy', exact: true });
    await bk.activate(take);
    const dialog = b.getByRole('dialog');
    await dialog.waitFor();
    assert.ok(await bk.focusInside(dialog), `the dialog took the focus (${await bk.describeFocus()})`);
    assert.ok(await bk.focusStaysIn(dialog), `Tab stayed in the dialog (left to ${await bk.describeFocus()})`);
    await screens.check(w.bob, 'kbd-02-take-dialog');
    await bk.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await b.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Buy');
    assert.ok(await take.evaluate((el) => el === document.activeElement), 'focus back on the Buy button');
    await bk.press('Enter');
    await dialog.waitFor();
    await bk.activate(dialog.getByRole('button', { name: 'Take the order', exact: true }));
    await bk.activate(b.getByRole('button', { name: 'Invoice from the simulated wallet' }));
    await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
    await bk.activate(b.getByRole('button', { name: 'Send the invoice' }));
  });

  it('Alice pays the hold invoice from the simulated wallet with Space', async () => {
    const pay = w.alice.page.getByRole('button', { name: 'Pay from the simulated wallet' });
    await ak.tabTo(pay);
    await screens.check(w.alice, 'kbd-03-hold-invoice-focused');
    await ak.press('Space');
    await waitForStatus(w.alice, 'Escrow locked');
    await waitForStatus(w.bob, 'Escrow locked');
  });

  it('Bob confirms fiat sent: the confirm dialog traps the focus and returns it', async () => {
    const b = w.bob.page;
    await bk.activate(pageButton(w.bob, 'I sent the fiat'));
    const dialog = b.getByRole('dialog');
    await dialog.waitFor();
    assert.ok(await bk.focusInside(dialog), `the dialog took the focus (${await bk.describeFocus()})`);
    assert.equal(
      await dialog.getByRole('button', { name: 'Back' }).evaluate((el) => el === document.activeElement),
      true,
      'the safe choice has the focus first',
    );
    assert.ok(await bk.focusStaysIn(dialog), `Tab stayed in the dialog (left to ${await bk.describeFocus()})`);
    await bk.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await b.waitForFunction(() => document.activeElement?.textContent?.trim() === 'I sent the fiat');
    await bk.press('Enter');
    await dialog.waitFor();
    await bk.tabTo(dialog.getByRole('button', { name: 'I sent the fiat' }));
    await screens.check(w.bob, 'kbd-04-confirm-fiat-sent');
    await bk.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    // The button that opened it is gone with its step: the focus goes to the page, not to nowhere.
    await b.waitForFunction(() => document.activeElement !== document.body && document.activeElement !== null);
    assert.equal(await b.evaluate(() => document.activeElement?.id), 'trade-title');
  });

  it('Alice releases and rates with the keyboard; so does Bob', async () => {
    const a = w.alice.page;
    await ak.activate(pageButton(w.alice, 'Release the sats'));
    const dialog = a.getByRole('dialog');
    await dialog.waitFor();
    await ak.activate(dialog.getByRole('button', { name: 'Release the sats' }));
    await waitForStatus(w.alice, 'Done');
    await ak.activate(a.getByRole('button', { name: '5 stars' }), ' ');
    // Bob is in full privacy: the node sends Alice no receipt, so the page says it is still sending.
    await a.getByText('Sending your rating…').waitFor({ timeout: 10_000 });
    await a.getByText('your rating was sent').waitFor({ timeout: 60_000 });
    await screens.check(w.alice, 'kbd-05-done');
    await waitForStatus(w.bob, /Done|Released/);
    await bk.activate(w.bob.page.getByRole('button', { name: '4 stars' }));
    await w.bob.page.getByText('your rating was sent').waitFor({ timeout: 60_000 });
  });

  it('every Tab stop showed a visible focus ring', () => {
    assert.deepEqual([...ak.invisibleFocus, ...bk.invisibleFocus], []);
  });

  it('no screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(screens.failures(), []);
  });
});
