// Issue 12 in real Chromium against real nodes: the book in Spanish with the maker's reputation as
// "private, or new today", the rating filter; Settings (own reputation, passphrase change, words
// revealed after the passphrase, privacy for new orders, browser notifications only once turned on
// and only while the tab is hidden); chat unread counts; choosing another node announced on the
// relay, which is in maintenance (card, order form, refusal), kept across a reload; restore stages
// ending in "no previous data". Every new screen is checked with axe-core and saved as a screenshot.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { nodeRelayPool } from '@mostro/nostr/node';
import { generateMnemonic, type NostrEvent, signEvent } from '@mostro/protocol';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { type Mostrod, startMostrod } from '../../../test/e2e/support/mostrod.ts';
import { tempDir } from '../../../test/e2e/support/processes.ts';
import { setMaintenance } from '../../daemon/src/health/maintenance.ts';
import {
  axeViolations,
  createIdentity,
  type Person,
  person,
  type Stack,
  screenshot,
  sellOrder,
  startStack,
} from './support.ts';

let stack: Stack;
let second: Mostrod;
let alice: Person;
let bob: Person;
let aliceWords: string[];
const a11y: Record<string, string[]> = {};
let step = 0;

async function check(p: Person, screen: string) {
  await screenshot(p, screen);
  a11y[screen] = await axeViolations(p.page);
}

/** Records every browser notification the page shows (the real ones need a desktop). */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = [];
  window.__shown = shown;
  class Recorded {
    constructor(title, options) { shown.push({ title, body: options && options.body, tag: options && options.tag }); }
    static get permission() { return Real.permission; }
    static requestPermission() { return Real.requestPermission(); }
  }
  window.Notification = Recorded;
})()`;

// Page scripts are strings: tsx names the functions it compiles (`__name`), which the page lacks.
const UNREAD = `Number(document.querySelector('a[href="#/notifications"] .count')?.textContent ?? 0)`;

/** The in-app unread count and the browser notifications shown, read at the same moment. */
const notesState = (page: Page) =>
  page.evaluate(`({ unread: ${UNREAD}, shown: [...window.__shown] })`) as Promise<{
    unread: number;
    shown: { body: string; tag: string }[];
  }>;
const unreadAbove = (page: Page, n: number) =>
  page.waitForFunction(
    (above) => Number(document.querySelector('a[href="#/notifications"] .count')?.textContent ?? 0) > above,
    n,
    { timeout: 60_000 },
  );
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate(`Object.defineProperty(document, 'hidden', { configurable: true, get() { return ${hidden}; } });
    document.dispatchEvent(new Event('visibilitychange'));`);

/** The second node's info as a 0.20 node publishes it in maintenance (its own key signs it). */
async function announceMaintenance(node: Mostrod, relay: string): Promise<void> {
  const pool = nodeRelayPool({ relays: [relay] });
  try {
    const stored = await new Promise<NostrEvent[]>((resolve) => {
      const got: NostrEvent[] = [];
      const sub = pool.subscribe([{ kinds: [38385], authors: [node.pubkey] }], {
        onevent: (e) => got.push(e as NostrEvent),
        oneose: () => {
          sub.close();
          resolve(got);
        },
      });
    });
    const newest = stored.sort((a, b) => b.created_at - a.created_at)[0];
    assert.ok(newest, 'the second node announced itself');
    const tags = newest.tags.filter((t) => t[0] !== 'maintenance_mode');
    const event = signEvent(
      { kind: 38385, created_at: newest.created_at + 1, content: '', tags: [...tags, ['maintenance_mode', 'true']] },
      node.secretKey(),
    );
    const results = await pool.publish(event);
    assert.ok(
      results.some((r) => r.ok),
      'the relay stored it',
    );
  } finally {
    pool.close();
  }
}

describe('web client: node choice, settings, Spanish, notifications, restore stages', { timeout: 900_000 }, () => {
  before(async () => {
    stack = await startStack({ MOSTRO_MOSTRO_NAME: 'Local node' });
    second = await startMostrod(tempDir('mostro-web-second-'), {
      MOSTRO_RELAY_EMBEDDED: 'false',
      MOSTRO_NOSTR_RELAYS: stack.node.relay,
      MOSTRO_MOSTRO_NAME: 'Second node',
      MOSTRO_WEB_ENABLED: 'false',
    });
    // Maintenance as the operator sets it (the node reads it on every request); its info says so too.
    const db = new Database(join(second.dataDir, 'mostro.db'));
    setMaintenance(db, { enabled: true, reason: 'upgrade' }, Math.floor(Date.now() / 1000));
    db.close();
    await announceMaintenance(second, stack.node.relay);
    alice = await person(stack, 'alice');
    await alice.context.grantPermissions(['notifications']);
    await alice.page.addInitScript(RECORD_NOTIFICATIONS);
    await alice.page.reload();
    bob = await person(stack, 'bob');
    aliceWords = await createIdentity(alice, 'alice passphrase');
    await createIdentity(bob, 'bob passphrase');
  });
  afterEach(async () => {
    // Where each step left Alice's screen (the first thing to look at when a step fails).
    await screenshot(alice, `i12-debug-${++step}`).catch(() => {});
  });
  after(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('the book in Spanish: a new maker reads as private or new today, and the rating filter', async () => {
    const b = bob.page;
    await sellOrder(b, 30, 12000, 'cash');
    await b.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });

    const a = alice.page;
    await a.getByRole('link', { name: 'Settings' }).click();
    await a.getByLabel('Language').selectOption('es');
    await a.getByRole('link', { name: 'Órdenes' }).click();
    await a.getByRole('heading', { name: 'Libro de órdenes' }).waitFor();
    const row = a.locator('[data-order]').filter({ hasText: '30 USD' });
    await row.getByText('privado, o nuevo hoy (sin reputación)').waitFor({ timeout: 30_000 });
    assert.equal(await row.getByText('★0.0').count(), 0, 'no zero-star rating for a maker without reputation');
    await check(alice, 'i12-book-es');

    await a.getByText('Filtros').click();
    await a.getByLabel('Calificación mín.').fill('4');
    await a.getByText(/^0 de \d+ órdenes$/).waitFor();
    await a.getByLabel(/Incluir también a quienes no tienen calificación/).check();
    await row.waitFor();
    await a.getByLabel('Calificación mín.').fill('');
    await a.getByRole('link', { name: 'Ajustes' }).click();
    await a.getByLabel('Idioma').selectOption('en');
    await a.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  it('Settings: my own reputation, passphrase change, the words after the passphrase, privacy for new orders', async () => {
    const a = alice.page;
    await a.getByRole('button', { name: 'Ask the node' }).click();
    await a
      .getByTestId('my-reputation')
      .filter({ hasText: /No reputation yet/ })
      .waitFor({ timeout: 60_000 });
    await check(alice, 'i12-settings');

    await a.getByLabel('Current passphrase').fill('not it');
    await a.getByLabel('New passphrase').fill('alice second passphrase');
    await a.getByRole('button', { name: 'Change passphrase' }).click();
    await a.locator('.error').filter({ hasText: 'Wrong passphrase' }).waitFor({ timeout: 60_000 });
    await a.getByLabel('Current passphrase').fill('alice passphrase');
    await a.getByRole('button', { name: 'Change passphrase' }).click();
    const outcome = a.locator('.ok, .error').filter({ hasNotText: 'Wrong passphrase' });
    await outcome.waitFor({ timeout: 60_000 });
    assert.equal(await outcome.textContent(), 'The passphrase was changed.');

    await a.getByLabel('Passphrase', { exact: true }).fill('alice second passphrase');
    await a.getByRole('button', { name: 'Show my 12 words' }).click();
    await a.getByTestId('revealed').waitFor({ timeout: 60_000 });
    assert.equal((await a.getByTestId('revealed').textContent())?.trim(), aliceWords.join(' '));

    await a.getByRole('button', { name: 'Lock now' }).click();
    await a.getByLabel('Passphrase').fill('alice passphrase');
    await a.getByRole('button', { name: 'Unlock' }).click();
    await a.locator('.error').filter({ hasText: 'Wrong passphrase' }).waitFor({ timeout: 60_000 });
    await a.getByLabel('Passphrase').fill('alice second passphrase');
    await a.getByRole('button', { name: 'Unlock' }).click();
    await a.getByRole('link', { name: 'Settings' }).click();

    await a.getByLabel(/Full privacy mode/).check();
    await a.getByRole('link', { name: 'New order' }).click();
    await a.getByText(/Every trade uses an unlinked key/).waitFor();
    await a.getByRole('link', { name: 'Settings' }).click();
    await a.getByLabel(/Reputation mode/).check();
    await a.getByRole('link', { name: 'New order' }).click();
    await a.getByText(/Your trades are linked to one identity/).waitFor();
  });

  it('browser notifications: none until turned on, then one per trade event while the tab is hidden', async () => {
    const a = alice.page;
    const b = bob.page;
    await sellOrder(a, 45, 18000, 'bank');
    await a.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 60_000 });
    await a.getByRole('link', { name: 'Settings' }).click();

    // Off: Bob takes and gives his invoice while Alice's tab is hidden; she is asked to pay.
    await setHidden(a, true);
    const before = (await notesState(a)).unread;
    await b.getByRole('link', { name: 'Order book' }).click();
    await b
      .locator('[data-order]')
      .filter({ hasText: '45 USD' })
      .getByRole('button', { name: 'Buy', exact: true })
      .click({ timeout: 30_000 });
    await b.getByRole('button', { name: 'Take the order', exact: true }).click();
    await b.getByRole('button', { name: 'Invoice from the simulated wallet' }).click({ timeout: 60_000 });
    await b.waitForFunction(() => (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'));
    await b.getByRole('button', { name: 'Send the invoice' }).click();
    await unreadAbove(a, before);
    assert.deepEqual((await notesState(a)).shown, [], 'hidden, but notifications are off: nothing shown');

    // On: Alice pays the hold invoice while hidden; each trade event that follows is one notification.
    await setHidden(a, false);
    await a.getByLabel(/Notify me of trade events/).check();
    await a.getByText('On: one notification per trade event').waitFor();
    await check(alice, 'i12-settings-notifications');
    await a.getByRole('link', { name: 'My trades' }).click();
    await a.getByRole('link', { name: /Selling sats/ }).click();
    await setHidden(a, true);
    const from = (await notesState(a)).unread;
    await a.getByRole('button', { name: 'Pay from the simulated wallet' }).click({ timeout: 60_000 });
    await unreadAbove(a, from);
    await b.getByTestId('status').filter({ hasText: 'Escrow locked' }).waitFor({ timeout: 60_000 });
    const { unread, shown } = await notesState(a);
    await setHidden(a, false);
    assert.ok(shown.length > 0);
    assert.equal(shown.length, unread - from, 'one browser notification per trade event while hidden');
    assert.ok(shown.every((n) => n.body && n.tag));
    assert.equal(new Set(shown.map((n) => n.tag)).size, shown.length, 'each its own');
  });

  it('chat unread counts in the trades list and on the trade page, cleared once the chat is seen', async () => {
    const a = alice.page;
    const b = bob.page;
    await a.getByRole('link', { name: 'My trades' }).click();
    await b.getByLabel('Message').fill('paying you now');
    await b.getByRole('button', { name: 'Send', exact: true }).click();
    await a.getByLabel('1 unread messages').waitFor({ timeout: 60_000 });
    await check(alice, 'i12-trades-unread');
    await a.setViewportSize({ width: 375, height: 320 });
    await a.getByRole('link', { name: /Selling sats/ }).click();
    await a.getByTestId('chat-tab').getByLabel('1 unread messages').waitFor();
    await a.getByText('Counterparty: private, or new today (no reputation)').waitFor();
    await check(alice, 'i12-trade-chat-tab');
    await a.getByTestId('chat-tab').click();
    await a.getByTestId('chat').getByText('paying you now').waitFor();
    await a.waitForFunction(() => !document.querySelector('[data-testid="chat-tab"] .count'), null, {
      timeout: 10_000,
    });
    await a.setViewportSize({ width: 375, height: 812 });
  });

  it('another node announced on the relay: listed, chosen, in maintenance, kept across a reload', async () => {
    const a = alice.page;
    await a.getByRole('link', { name: 'Node' }).click();
    await a.getByRole('button', { name: 'Find nodes' }).click();
    const list = a.getByTestId('nodes');
    await list.locator(`[data-node="${stack.node.pubkey}"]`).getByText('in use').waitFor({ timeout: 30_000 });
    const other = list.locator(`[data-node="${second.pubkey}"]`);
    await other.getByText('Second node', { exact: true }).waitFor();
    await other.getByText('in maintenance').waitFor();
    await other.getByText(second.npub).waitFor();
    await check(alice, 'i12-node-picker');
    await other.getByRole('button', { name: /Use this node/ }).click();
    await a.getByText('Now trading on Second node.').waitFor();
    await a.getByTestId('node-npub').filter({ hasText: second.npub }).waitFor();
    await a.getByTestId('maintenance').waitFor({ timeout: 30_000 });
    await check(alice, 'i12-node-maintenance');
    assert.equal(await a.getByRole('link', { name: 'Test wallet' }).count(), 0, 'no simulated wallet on another node');

    await a.getByRole('link', { name: 'New order' }).click();
    await a.getByTestId('maintenance').waitFor();
    await sellOrder(a, 20, 10000, 'bank');
    await a.locator('.error').filter({ hasText: 'The node is in maintenance' }).waitFor({ timeout: 60_000 });
    await check(alice, 'i12-maintenance-refused');

    await a.reload();
    await a.getByLabel('Passphrase').fill('alice second passphrase');
    await a.getByRole('button', { name: 'Unlock' }).click();
    await a.getByRole('link', { name: 'Node' }).click();
    await a.getByTestId('node-npub').filter({ hasText: second.npub }).waitFor({ timeout: 30_000 });
    await a.getByRole('button', { name: 'Back to the default node' }).click();
    await a.getByTestId('node-npub').filter({ hasText: stack.node.npub }).waitFor({ timeout: 30_000 });
    await a.getByText('Fee per party').waitFor({ timeout: 30_000 });
    await a.getByRole('link', { name: 'Test wallet' }).waitFor();
    await a.getByRole('link', { name: 'My trades' }).click();
    await a.getByRole('link', { name: /Selling sats/ }).waitFor();
  });

  it('restore of an identity the node does not know: every stage, then "no previous data"', async () => {
    const fresh = await person(stack, 'fresh');
    const f = fresh.page;
    await f.getByRole('button', { name: 'Import 12 words' }).click();
    await f.getByLabel('Your 12 words').fill(generateMnemonic());
    await f.getByLabel('Passphrase', { exact: true }).fill('fresh passphrase');
    await f.getByLabel('Passphrase again').fill('fresh passphrase');
    await f.getByRole('button', { name: 'Continue' }).click();
    await f.getByTestId('restore-outcome').filter({ hasText: 'No previous data' }).waitFor({ timeout: 120_000 });
    const stages = await f.getByTestId('restore-stages').locator('li').allTextContents();
    assert.deepEqual(
      stages.map((s) => s.trim()),
      [
        'Asking the node for your trades',
        'Receiving your orders',
        'Loading their details',
        'Working out your role in each',
        'Saving and catching up with each trade',
        'Completed',
      ],
    );
    await check(fresh, 'i12-restore-no-data');
    await fresh.context.close();
  });

  it('no new screen has a serious or critical accessibility violation', () => {
    const bad = Object.entries(a11y).filter(([, v]) => v.length > 0);
    assert.deepEqual(bad, []);
  });
});
