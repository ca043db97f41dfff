// The solver console in real Chromium against a real mostrod: the operator (the node's own key and
// the node's admin API) adds a solver and sees the node's health; Alice sells to Bob (separate
// browser contexts), Bob opens a dispute; the solver takes it, chats with Bob both ways, reads the
// buyer–seller chat Bob hands over (every signature verified), exports the signed transcript,
// re-checks it and a tampered copy, and settles; Bob's wallet receives the payout. A stranger's key
// sees no disputes and can take none. axe-core on every console screen; screenshots as artifacts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { publicKeyOf, toNpub, toNsec } from '@mostro/protocol';
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

const TOKEN = 'console-test-token-0123456789';
const solverKey = generateSecretKey();
const strangerKey = generateSecretKey();

let stack: Stack;
let [alice, bob, operator, solver, stranger] = [] as Person[] as [Person, Person, Person, Person, Person];
const { check, bad } = screenChecks();

describe('solver console: a dispute settled for the buyer', { timeout: 900_000 }, () => {
  before(async () => {
    stack = await startStack({ MOSTRO_RPC_AUTH_TOKEN: TOKEN });
    ({ alice, bob, operator, solver, stranger } = await people(stack, [
      'alice',
      'bob',
      'operator',
      'solver',
      'stranger',
    ]));
  });
  after(async () => {
    await stack?.stop();
  });

  it("the operator signs in with the node's key, connects the admin API, adds a solver and sees the node", async () => {
    await consoleSignIn(operator, stack.web, toNsec(stack.node.secretKey()), 'operator passphrase');
    await operator.page.getByTestId('permission').filter({ hasText: "the node's own key" }).waitFor();
    await operator.page.getByRole('link', { name: 'Operator', exact: true }).click();
    await operator.page.getByLabel('Admin token').fill('wrong-token');
    await operator.page.getByRole('button', { name: 'Connect' }).click();
    await operator.page.getByTestId('api-error').filter({ hasText: 'refused the token' }).waitFor({ timeout: 30_000 });
    await operator.page.getByLabel('Admin token').fill(TOKEN);
    await operator.page.getByRole('button', { name: 'Connect' }).click();
    await operator.page.getByTestId('node-version').waitFor({ timeout: 30_000 });
    await operator.page.getByLabel("New solver's npub").fill(toNpub(publicKeyOf(solverKey)));
    await operator.page.getByLabel('read-write: may take, chat and decide').check();
    await operator.page.getByRole('button', { name: 'Add the solver' }).click();
    const rows = operator.page.getByTestId('solvers');
    await rows.getByText(toNpub(publicKeyOf(solverKey))).waitFor({ timeout: 30_000 });
    assert.match((await rows.textContent()) ?? '', /read-write/);
    await operator.page.getByTestId('health-checks').getByText('Database: ok').waitFor({ timeout: 30_000 });
    await operator.page.getByTestId('figures').waitFor({ timeout: 30_000 });
    await operator.page.getByRole('button', { name: 'Enter maintenance' }).click();
    await operator.page.getByTestId('maintenance').filter({ hasText: 'On:' }).waitFor({ timeout: 30_000 });
    await check(operator, 'console-01-operator-maintenance');
    await operator.page.getByRole('button', { name: 'Leave maintenance' }).click();
    await operator.page.getByTestId('maintenance').filter({ hasText: 'Off:' }).waitFor({ timeout: 30_000 });
    await check(operator, 'console-02-operator');
  });

  it('Alice sells to Bob; the escrow is locked and they chat', async () => {
    await createIdentity(alice, 'alice passphrase');
    await createIdentity(bob, 'bob passphrase', true);
    await lockedSellTrade(alice, bob, 50, 20_000);
    await bob.page.getByLabel('Message', { exact: true }).fill('I paid by bank transfer');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.page.getByTestId('chat').getByText('I paid by bank transfer').waitFor({ timeout: 30_000 });
    await alice.page.getByLabel('Message', { exact: true }).fill('nothing has arrived');
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.page.getByTestId('chat').getByText('nothing has arrived').waitFor({ timeout: 30_000 });
  });

  it('Bob opens a dispute; the solver sees it waiting and takes it', async () => {
    await openDispute(bob);
    // The operator's health page (polling) shows the seller's sats held: amount + fee.
    await operator.page
      .getByTestId('held-sats')
      .filter({ hasText: /^200\d\d$/ })
      .waitFor({ timeout: 30_000 });
    await check(operator, 'console-10-operator-escrow');
    await consoleSignIn(solver, stack.web, toNsec(solverKey), 'solver passphrase');
    await solver.page.getByTestId('permission').filter({ hasText: 'read-write' }).waitFor({ timeout: 30_000 });
    await solver.page.getByTestId('waiting').filter({ hasText: '1 waiting' }).waitFor({ timeout: 60_000 });
    await check(solver, 'console-03-queue');
    await solver.page.getByRole('button', { name: 'Take' }).click();
    await solver.page.getByTestId('amount').filter({ hasText: '20000 sats' }).waitFor({ timeout: 60_000 });
    await solver.page.getByTestId('fiat').filter({ hasText: '50 USD' }).waitFor({ timeout: 30_000 });
    const buyer = solver.page.locator('[data-party="buyer"]');
    assert.match((await buyer.textContent()) ?? '', /opened the dispute/);
    assert.equal(await buyer.getByTestId('reputation').textContent(), 'private');
    assert.notEqual(
      await solver.page.locator('[data-party="seller"]').getByTestId('reputation').textContent(),
      'private',
    );
    await check(solver, 'console-04-dispute');
  });

  it('the solver and Bob chat both ways over the solver channel', async () => {
    await solver.page.getByLabel('Message to the buyer').fill('Hello Bob, please send the receipt');
    await solver.page.getByRole('button', { name: 'Send' }).first().click();
    await bob.page.getByTestId('chat').getByText('Hello Bob, please send the receipt').waitFor({ timeout: 30_000 });
    await bob.page.getByLabel('Send to').selectOption('solver');
    await bob.page.getByLabel('Message', { exact: true }).fill('Receipt no. 4711, sent on Monday');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await solver.page.getByTestId('chat-buyer').getByText('Receipt no. 4711').waitFor({ timeout: 30_000 });
  });

  it('Bob hands over the chat; the solver reads it verified, exports and re-checks the transcript', async () => {
    await bob.page.getByRole('button', { name: 'Share the chat with the solver' }).click();
    await bob.page.getByRole('dialog').getByRole('button', { name: 'Share the chat with the solver' }).click();
    const peer = solver.page.getByTestId('peer-chat');
    await peer.getByText('nothing has arrived').waitFor({ timeout: 60_000 });
    await peer.getByText('I paid by bank transfer').waitFor();
    assert.equal(await peer.locator('li').count(), 2);
    assert.equal(await peer.getByText('signature verified').count(), 2);
    await check(solver, 'console-05-peer-chat');

    await solver.page.getByRole('button', { name: 'Export a signed transcript' }).click();
    const download = solver.page.waitForEvent('download');
    await solver.page.getByTestId('transcript-download').click({ timeout: 30_000 });
    const file = readFileSync((await (await download).path()) as string, 'utf8');
    const body = JSON.parse(JSON.parse(file).content);
    assert.equal(JSON.parse(file).pubkey, publicKeyOf(solverKey), 'sealed by the solver');
    assert.deepEqual(
      // Same second: the transcript orders by time, then by event id.
      body.transcript.messages.map((m: { text: string }) => m.text).sort(),
      ['I paid by bank transfer', 'nothing has arrived'],
    );
    const input = solver.page.getByLabel('Check a transcript file');
    await input.setInputFiles({ name: 't.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await solver.page.getByTestId('transcript-check').filter({ hasText: 'Valid transcript: 2 messages' }).waitFor();
    const tampered = file.replace('nothing has arrived', 'it arrived, thanks');
    await input.setInputFiles({ name: 't2.json', mimeType: 'application/json', buffer: Buffer.from(tampered) });
    await solver.page.getByTestId('transcript-check').filter({ hasText: 'Tampered transcript' }).waitFor();
    await check(solver, 'console-06-tampered');
  });

  it("the solver settles behind a confirmation naming the buyer and the sum; Bob's wallet gets it", async () => {
    const bobTrade = bob.page.url();
    const before = await walletBalance(bob, stack.web);
    await solver.page.getByRole('button', { name: 'Settle: pay the buyer' }).click();
    const dialog = solver.page.getByRole('dialog');
    const text = (await dialog.textContent()) ?? '';
    const pays = Number(text.match(/receives (\d+) sats/)?.[1]);
    assert.ok(pays > 0 && pays < 20_000, text);
    assert.match(text, /npub1/);
    await check(solver, 'console-07-confirm-settle');
    await dialog.getByRole('button', { name: 'Settle: pay the buyer' }).click();
    await solver.page.getByText('Settled: the node is paying the buyer.').waitFor({ timeout: 60_000 });
    await solver.page.getByTestId('dispute-status').filter({ hasText: 'settled' }).waitFor({ timeout: 60_000 });
    await bob.page.goto(bobTrade);
    await bob.page
      .getByTestId('status')
      .filter({ hasText: /Done|paying the buyer/ })
      .waitFor({ timeout: 60_000 });
    let after = before;
    for (let i = 0; i < 30 && after < before + pays; i++) {
      after = await walletBalance(bob, stack.web);
      if (after < before + pays) await new Promise((r) => setTimeout(r, 2000));
    }
    assert.equal(after - before, pays, "Bob's wallet received the payout");
    await check(bob, 'console-08-buyer-wallet');
  });

  it("a stranger's key sees no disputes and can take none", async () => {
    await consoleSignIn(stranger, stack.web, toNsec(strangerKey), 'stranger passphrase');
    await stranger.page.getByTestId('not-solver').waitFor({ timeout: 30_000 });
    assert.equal(await stranger.page.getByTestId('queue').count(), 0);
    assert.equal(await stranger.page.getByRole('button', { name: 'Take' }).count(), 0);
    await check(stranger, 'console-09-stranger');
  });

  it('no console screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(bad(), []);
  });

  it('the pages talked only to their own origin and the node relay', () => {
    const origin = new URL(stack.web).origin;
    const relay = stack.node.relay.replace(/\/$/, '');
    for (const p of [operator, solver, stranger, bob]) {
      const foreign = p.requests.filter(
        (u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && u.replace(/\/$/, '') !== relay,
      );
      assert.deepEqual(foreign, [], `${p.name} contacted something else`);
    }
  });
});
