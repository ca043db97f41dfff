// A dispute from the user's side in real Chromium: the buyer opens it from the trade page (confirm
// dialog), a solver (the SDK's AdminClient in Node, added by the node's operator) takes it and
// writes to the buyer, who reads it in the trade's chat and answers; the buyer consents to hand over the
// trade's chat key (the dialog says what the solver can then read) and the solver reads the
// buyer–seller chat; the solver settles and both pages show the outcome.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TakenDispute } from '@mostro/client';
import { until } from '../../../test/e2e/support/processes.ts';
import {
  addSolver,
  chatLine,
  confirmAction,
  ScreenChecks,
  type Solver,
  sellTradeToActive,
  traders,
  waitForStatus,
  walletOf,
} from './support.ts';

let solver: Solver;
const screens = new ScreenChecks();
const SATS = 22_000;

describe('web client: a dispute from the user side', { timeout: 600_000 }, () => {
  const w = traders();
  before(async () => {
    solver = await addSolver(w.stack);
  });
  after(() => solver?.close());

  let orderId: string;
  let taken: TakenDispute;

  it('the buyer opens a dispute after a confirm dialog; both pages show it', async () => {
    const { alice, bob } = w;
    orderId = await sellTradeToActive(alice, bob, 55, SATS);
    await chatLine(bob, alice, 'I paid by bank transfer, reference 4711');
    await chatLine(alice, bob, 'nothing arrived yet');
    await confirmAction(bob, 'Open a dispute', { checks: screens, screen: 'dispute-01-confirm' });
    await waitForStatus(bob, 'In dispute');
    await waitForStatus(alice, 'In dispute');
    await bob.page.getByTestId('dispute-state').waitFor();
    await screens.check(bob, 'dispute-02-opened');
  });

  it('the solver takes it and writes to the buyer, who reads it in the trade chat', async () => {
    const { bob } = w;
    const dispute = await until(
      'the dispute event',
      async () => (await solver.admin.disputes('initiated'))[0],
      60_000,
      500,
    );
    taken = await solver.admin.takeDispute(dispute.id);
    assert.equal(taken.info.id, orderId);
    await solver.chat.send(
      solver.admin.conversation(taken, 'buyer'),
      'Hello, I am the solver: please send proof of payment',
    );
    const line = bob.page.getByTestId('chat').locator('li', { hasText: 'please send proof of payment' });
    await line.waitFor({ timeout: 60_000 });
    assert.match((await line.textContent()) ?? '', /^\s*Solver:/, 'the line says it is from the solver');
    await screens.check(bob, 'dispute-03-solver-message');
  });

  it('the buyer answers the solver from the same chat', async () => {
    const { bob } = w;
    await bob.page.getByLabel('Send to').selectOption({ label: 'the solver' });
    await bob.page.getByLabel('Message').fill('here is the bank receipt number 4711');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    const mine = bob.page.getByTestId('chat').locator('li', { hasText: 'bank receipt number 4711' });
    await mine.waitFor({ timeout: 60_000 });
    assert.match((await mine.textContent()) ?? '', /^\s*You → solver:/);
    await screens.check(bob, 'dispute-04-answer-solver');
    const heard = await until(
      "the buyer's answer at the solver",
      async () =>
        (await solver.chat.history(solver.admin.conversation(taken, 'buyer'))).find((m) =>
          m.text.includes('bank receipt number 4711'),
        ),
      60_000,
      500,
    );
    assert.equal(heard.author, taken.info.buyer_pubkey, 'signed by the buyer’s trade key');
  });

  it("the buyer consents to hand over this trade's chat; then the solver can read it", async () => {
    const { bob } = w;
    assert.equal(await solver.admin.peerTranscript(solver.chat, taken), null, 'nothing handed over yet');
    await bob.page.getByRole('button', { name: 'Share the chat with the solver' }).click({ timeout: 60_000 });
    const dialog = bob.page.getByRole('dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /read every message/, 'says what the solver can read');
    assert.match(text, /this one trade/, 'says it is only this trade');
    assert.match(text, /none of your keys/, 'says no key of the user is shared');
    await screens.check(bob, 'dispute-05-handover-consent');
    await dialog.getByRole('button', { name: 'Share the chat with the solver' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    const chat = bob.page.getByTestId('chat');
    await chat.getByText("you let the solver read this trade's chat").waitFor({ timeout: 60_000 });
    assert.doesNotMatch((await chat.textContent()) ?? '', /conv_key|mostro-chat-key/, 'the key itself is not shown');
    await bob.page.getByRole('button', { name: 'Share the chat with the solver' }).waitFor({ state: 'detached' });
    const transcript = await until(
      'the handed-over chat',
      async () => (await solver.admin.peerTranscript(solver.chat, taken)) ?? undefined,
      60_000,
      500,
    );
    assert.deepEqual(transcript.handedOverBy, ['buyer']);
    const texts = transcript.messages.map((m) => m.text);
    assert.ok(texts.includes('I paid by bank transfer, reference 4711'), "the buyer's line");
    assert.ok(texts.includes('nothing arrived yet'), "the seller's line");
  });

  it('the solver settles: the buyer is paid and both pages show it', async () => {
    const { stack, alice, bob } = w;
    const buyerWallet = await walletOf(stack, bob);
    const before = await buyerWallet.balance();
    await solver.admin.settle(orderId);
    await waitForStatus(bob, /Done|Released/);
    await waitForStatus(alice, 'Done');
    await bob.page.getByTestId('dispute-outcome').filter({ hasText: 'the sats go to the buyer' }).waitFor();
    await alice.page.getByTestId('dispute-outcome').filter({ hasText: 'the sats go to the buyer' }).waitFor();
    await until('the payout', async () => ((await buyerWallet.balance()) > before ? true : undefined), 60_000);
    await screens.check(bob, 'dispute-06-settled-buyer');
    await screens.check(alice, 'dispute-07-settled-seller');
  });

  it('no screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(screens.failures(), []);
  });
});
