// The solver console's other outcome and its limits, in real Chromium against a real mostrod,
// without the admin API: the operator adds a read-write and a read-only solver over Nostr with the
// node's own key; Bob opens a dispute on Alice's sell order; the read-only solver takes it and is
// offered no settle or cancel; the read-write solver takes it over and cancels behind a
// confirmation stating the refund; Alice's wallet has her sats back. axe-core, screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publicKeyOf, toNpub, toNsec } from '@mostro/protocol';
import { generateSeedWords, privateKeyFromSeedWords } from 'nostr-tools/nip06';
import { generateSecretKey } from 'nostr-tools/pure';
import {
  consoleSignIn,
  createIdentity,
  lockedSellTrade,
  openDispute,
  type Person,
  people,
  type Stack,
  screenChecks,
  startStack,
  walletBalance,
} from './support.ts';

const writerKey = generateSecretKey();
const lateKey = generateSecretKey();
// The read-only solver signs in with 12 words: its key is the NIP-06 one (derived here by nostr-tools).
const readerWords = generateSeedWords();
const readerKey = privateKeyFromSeedWords(readerWords);

let stack: Stack;
let [alice, bob, operator, writer, reader, late] = [] as Person[] as [Person, Person, Person, Person, Person, Person];
const { check, bad } = screenChecks();

describe('solver console: a dispute canceled for the seller; a read-only solver', { timeout: 900_000 }, () => {
  before(async () => {
    stack = await startStack();
    ({ alice, bob, operator, writer, reader, late } = await people(stack, [
      'alice',
      'bob',
      'operator',
      'writer',
      'reader',
      'late',
    ]));
  });
  after(async () => {
    await stack?.stop();
  });

  it("without the admin API the operator adds both solvers over Nostr with the node's key", async () => {
    await consoleSignIn(operator, stack.web, toNsec(stack.node.secretKey()), 'operator passphrase');
    const page = operator.page;
    await page.getByRole('link', { name: 'Operator', exact: true }).click();
    // No admin token given: the list needs the API, adding works over Nostr with the node's key.
    await page.getByText('The list needs the admin API').waitFor({ timeout: 30_000 });
    for (const [key, level] of [
      [writerKey, 'read-write: may take, chat and decide'],
      [lateKey, 'read-write: may take, chat and decide'],
      [readerKey, 'read only: may take and chat, not decide'],
    ] as const) {
      await page.getByLabel("New solver's npub").fill(toNpub(publicKeyOf(key)));
      await page.getByLabel(level).check();
      await page.getByRole('button', { name: 'Add the solver' }).click();
      await page.getByText(/Solver added/).waitFor({ timeout: 60_000 });
      await page.getByLabel("New solver's npub").filter({ hasText: '' }).waitFor();
    }
    await check(operator, 'console-11-operator-over-nostr');
  });

  let beforeTrade = 0;
  it('Alice sells to Bob and Bob opens a dispute', async () => {
    await createIdentity(alice, 'alice passphrase');
    await createIdentity(bob, 'bob passphrase');
    // Funded before the trade, so that after the refund her balance must be exactly this again.
    assert.equal(await walletBalance(alice, stack.web), 0);
    await alice.page.getByRole('button', { name: 'Get 1,000,000 test sats' }).click();
    await alice.page
      .getByTestId('balance')
      .filter({ hasText: /: [1-9]\d* sats/ })
      .waitFor({ timeout: 30_000 });
    beforeTrade = await walletBalance(alice, stack.web);
    await alice.page.getByRole('link', { name: 'Order book' }).click();
    await lockedSellTrade(alice, bob, 30, 10_000);
    await openDispute(bob);
  });

  it('the read-only solver takes it and is offered no settle or cancel', async () => {
    await consoleSignIn(reader, stack.web, readerWords, 'reader passphrase', 'nip06-words');
    await reader.page
      .getByTestId('solver-key')
      .getByText(toNpub(publicKeyOf(readerKey)))
      .waitFor();
    await reader.page.getByTestId('permission').filter({ hasText: 'read only' }).waitFor({ timeout: 30_000 });
    await reader.page.getByRole('button', { name: 'Take' }).click({ timeout: 60_000 });
    await reader.page.getByTestId('amount').filter({ hasText: '10000 sats' }).waitFor({ timeout: 60_000 });
    await reader.page.getByTestId('read-only').waitFor();
    assert.equal(await reader.page.getByRole('button', { name: /Settle|Cancel: refund/ }).count(), 0);
    await reader.page.getByLabel('Message to the seller').fill('Alice, did the transfer arrive?');
    await reader.page.getByRole('button', { name: 'Send' }).nth(1).click();
    await alice.page.getByTestId('chat').getByText('Alice, did the transfer arrive?').waitFor({ timeout: 30_000 });
    await check(reader, 'console-12-read-only');
  });

  it('the read-write solver takes it over and cancels: Alice has her sats back', async () => {
    await consoleSignIn(writer, stack.web, toNsec(writerKey), 'writer passphrase');
    await writer.page.getByTestId('permission').filter({ hasText: 'read-write' }).waitFor({ timeout: 30_000 });
    await writer.page.getByRole('button', { name: 'Take' }).click({ timeout: 60_000 });
    await writer.page.getByTestId('amount').filter({ hasText: '10000 sats' }).waitFor({ timeout: 60_000 });

    // Another read-write solver may not take a dispute a read-write solver holds: the node's reason is shown.
    await consoleSignIn(late, stack.web, toNsec(lateKey), 'late passphrase');
    await late.page.getByRole('button', { name: 'Take' }).click({ timeout: 60_000 });
    await late.page.getByRole('alert').filter({ hasText: 'The node refused: ' }).waitFor({ timeout: 60_000 });
    assert.match((await late.page.getByRole('alert').textContent()) ?? '', /held by another solver/);
    await check(late, 'console-15-refused');

    await writer.page.getByRole('button', { name: 'Cancel: refund the seller' }).click();
    const dialog = writer.page.getByRole('dialog');
    const text = (await dialog.textContent()) ?? '';
    const refund = Number(text.match(/gets all (\d+) sats back/)?.[1]);
    assert.ok(refund > 10_000, text);
    assert.match(text, /the buyer receives nothing/);
    await check(writer, 'console-13-confirm-cancel');
    await dialog.getByRole('button', { name: 'Cancel: refund the seller' }).click();
    await writer.page.getByText('Canceled: the seller is refunded.').waitFor({ timeout: 60_000 });
    await writer.page.getByTestId('dispute-status').filter({ hasText: 'seller refunded' }).waitFor({ timeout: 60_000 });
    await alice.page
      .getByTestId('status')
      .filter({ hasText: /Canceled/ })
      .waitFor({ timeout: 60_000 });
    let now = 0;
    for (let i = 0; i < 30 && now < beforeTrade; i++) {
      now = await walletBalance(alice, stack.web);
      if (now < beforeTrade) await new Promise((r) => setTimeout(r, 2000));
    }
    assert.equal(now, beforeTrade, "Alice's wallet holds exactly what it held before the trade");
    await reader.page.getByTestId('dispute-status').filter({ hasText: 'seller refunded' }).waitFor({ timeout: 60_000 });
    await check(writer, 'console-14-canceled');
  });

  it('no console screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(bad(), []);
  });
});
