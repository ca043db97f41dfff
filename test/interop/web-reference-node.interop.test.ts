// The same web build against the REAL mostrod 0.20.2: the reference node publishes to the relay of
// the node serving the page; the person finds it in the node picker, switches to it, sees its card,
// asks it for their own reputation (0.20 `user-info`), publishes an order that the reference
// accepts and shows in the book, and cancels it. Needs the interop group (regtest lnd + the
// reference build) and Debian's Chromium; the app is built first when missing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  axeViolations,
  createIdentity,
  type Person,
  person,
  type Stack,
  screenshot,
  sellOrder,
  startStack,
} from '../../packages/web/test/support.ts';
import { haveReference } from '../../scripts/reference/build.mjs';
import { regtestLnd, startReferenceMostrod } from '../../scripts/reference/mostrod.mjs';
import { ensureWebBuilt } from '../../scripts/web/build.mjs';

const CHROMIUM = process.env.MOSTRO_CHROMIUM ?? '/usr/bin/chromium';
const ready = process.env.MOSTRO_REGTEST === '1' && haveReference('mostrod') && existsSync(CHROMIUM);
const REFERENCE_NAME = 'mostro-ts interop reference';

describe('web client against the reference mostrod 0.20.2', {
  skip: !ready && 'needs the interop group (regtest + reference build) and Chromium',
  timeout: 600_000,
}, () => {
  let stack: Stack;
  let reference: Awaited<ReturnType<typeof startReferenceMostrod>>;
  let alice: Person;
  const a11y: Record<string, string[]> = {};

  before(async () => {
    ensureWebBuilt();
    stack = await startStack();
    reference = await startReferenceMostrod({ relays: [stack.node.relay], lnd: regtestLnd('node') });
    alice = await person(stack, 'alice');
    await createIdentity(alice, 'alice passphrase');
  });
  after(async () => {
    if (reference && process.env.MOSTRO_INTEROP_VERBOSE) console.error(reference.output());
    await reference?.close();
    await stack?.stop();
  });

  it('finds the reference node on the relay and switches to it', async () => {
    const a = alice.page;
    await a.getByRole('link', { name: 'Node' }).click();
    const entry = a.getByTestId('nodes').locator(`[data-node="${reference.pubkey}"]`);
    // The reference announces itself at start and every 30 s: look again until it is there.
    const deadline = Date.now() + 120_000;
    while (!(await entry.isVisible())) {
      assert.ok(Date.now() < deadline, 'the reference node announced itself within two minutes');
      await a.getByRole('button', { name: 'Find nodes' }).click();
      await a.getByRole('button', { name: 'Find nodes' }).waitFor();
      await a.waitForTimeout(2000);
    }
    await entry.getByText(REFERENCE_NAME, { exact: true }).waitFor();
    await entry.getByText(/version 0\.20\.2/).waitFor();
    await screenshot(alice, 'i12-reference-picker');
    a11y.picker = await axeViolations(a);
    await entry.getByRole('button', { name: /Use this node/ }).click();
    await a.getByText(`Now trading on ${REFERENCE_NAME}.`).waitFor();
    const facts = a.locator('.facts');
    await facts.getByText('0.20.2').waitFor({ timeout: 30_000 });
    await facts.getByText('nip44 (v2)').waitFor();
    assert.equal(await a.getByTestId('maintenance').count(), 0, 'the reference is not in maintenance');
  });

  it('asks the reference for my own reputation', async () => {
    const a = alice.page;
    await a.getByRole('link', { name: 'Settings' }).click();
    await a.getByRole('button', { name: 'Ask the node' }).click();
    await a
      .getByTestId('my-reputation')
      .filter({ hasText: /No reputation yet/ })
      .waitFor({ timeout: 60_000 });
  });

  it('publishes an order the reference accepts, sees it in the book, and cancels it', async () => {
    const a = alice.page;
    await sellOrder(a, 25, 15000, 'bank transfer');
    await a.getByTestId('status').filter({ hasText: 'Published' }).waitFor({ timeout: 90_000 });
    const orderId = (await a.evaluate(() => location.hash)).replace('#/trade/', '');
    await a.getByRole('link', { name: 'Order book' }).click();
    const row = a.locator(`[data-order="${orderId}"]`);
    await row.waitFor({ timeout: 90_000 });
    await row.getByText('private, or new today (no reputation)').waitFor();
    await screenshot(alice, 'i12-reference-book');
    a11y.book = await axeViolations(a);
    await row.getByRole('link', { name: 'Your trade' }).click();
    await a.getByRole('button', { name: 'Cancel' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await a.getByTestId('status').filter({ hasText: 'Canceled' }).waitFor({ timeout: 90_000 });
    assert.deepEqual(
      Object.entries(a11y).filter(([, v]) => v.length > 0),
      [],
    );
  });
});
