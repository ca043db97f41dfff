// A failed payout in real Chromium: the buyer's wallet cannot be reached when the seller releases
// (the simulated Lightning's failure injection, one payment), the buyer's page says the payout
// failed and asks for a new invoice; a good invoice is sent and the payout completes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../../test/e2e/support/processes.ts';
import {
  confirmAction,
  ScreenChecks,
  type Stack,
  sellTradeToActive,
  traders,
  waitForStatus,
  walletOf,
} from './support.ts';

const screens = new ScreenChecks();
const SATS = 16_000;

/** Has the node journaled step `step` for the order (it runs some steps in the background)? */
function journaled(stack: Stack, orderId: string, step: string): boolean {
  const db = stack.node.openDb();
  try {
    return !!db.prepare('SELECT 1 FROM escrow_journal WHERE order_id = ? AND step = ?').get(orderId, step);
  } finally {
    db.close();
  }
}

async function injectFailure(stack: Stack, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(new URL('/admin/fail', stack.node.wallet as string), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('web client: a new payout invoice after a failed payment', { timeout: 600_000 }, () => {
  const w = traders();

  it('the buyer sees the failure, sends a new invoice, and is paid', async () => {
    const { stack, alice, bob } = w;
    const id = await sellTradeToActive(alice, bob, 35, SATS);
    const buyerWallet = await walletOf(stack, bob);
    const before = await buyerWallet.balance();
    await confirmAction(bob, 'I sent the fiat');
    // The node probes the payout route after fiat-sent; the wallet breaks only after that, so the
    // failure shows at the payout itself (one payment fails, then the rule is used up).
    await until('the probe after fiat-sent', () => journaled(stack, id, 'payout.probe') || undefined, 60_000);
    await injectFailure(stack, { failure: 'no_route', wallet: buyerWallet.name, times: 1 });
    await confirmAction(alice, 'Release the sats');

    const failed = bob.page.getByRole('heading', { name: 'The payout failed' });
    await failed.waitFor({ timeout: 90_000 });
    await bob.page.getByRole('button', { name: 'Invoice from the simulated wallet' }).waitFor();
    await screens.check(bob, 'payout-01-failed');
    assert.equal(await buyerWallet.balance(), before, 'nothing was paid yet');
    assert.ok(journaled(stack, id, 'payout.failed'), 'the node recorded the failed payout');

    // A mistyped invoice is refused on the page: one message, nothing sent.
    await bob.page.getByLabel('Payout invoice or lightning address').fill('lnbc-not-really');
    await bob.page.getByRole('button', { name: 'Send the invoice' }).click();
    await bob.page.getByRole('alert').filter({ hasText: 'not a Lightning invoice' }).waitFor();
    assert.equal(await failed.count(), 1, 'still asking for an invoice');
    await bob.page.getByLabel('Payout invoice or lightning address').fill('');
    await bob.page.getByRole('button', { name: 'Invoice from the simulated wallet' }).click();
    await bob.page.waitForFunction(() =>
      (document.getElementById('payout') as HTMLInputElement)?.value.startsWith('ln'),
    );
    await bob.page.getByRole('button', { name: 'Send the invoice' }).click();
    await waitForStatus(bob, 'Done');
    await waitForStatus(alice, 'Done');
    await screens.check(bob, 'payout-02-paid');
    assert.equal(await failed.count(), 0, 'the failure is gone once paid');
    const received = (await buyerWallet.balance()) - before;
    assert.ok(received > 0 && received <= SATS, `the buyer received the payout (${received} sats)`);
  });

  it('no screen has a serious or critical accessibility violation', () => {
    assert.deepEqual(screens.failures(), []);
  });
});
