// The node's log of a real trade: one line per accepted action and per Lightning step — the
// action, the order's short id, its new status — and nothing that identifies or sizes the trade: no
// key, no invoice, no amount (the trade is full private on both sides).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../../src/app/context.ts';
import { getOrder } from '../../src/db/orders.ts';
import { fixedOrder, holdInvoiceOf, isPayInvoice, testUsers } from '../support/orders.ts';
import { eventually } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { SimWallet } from '../support/wallet.ts';

const AMOUNT = 20_000;

describe('node: the trade log', () => {
  let t: TestNode;
  const lines: string[] = [];
  const capture =
    (level: string) =>
    (text: string, detail?: unknown): void => {
      lines.push(
        `${level} ${text}${detail === undefined ? '' : ` ${detail instanceof Error ? detail.stack : JSON.stringify(detail)}`}`,
      );
    };
  const log: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error'), debug() {} };
  const { user, closeAll } = testUsers(() => t);

  before(async () => {
    t = await startTestNode({ settings: { 'mostro.fee': 0.006 }, log });
  });
  after(async () => {
    closeAll();
    await t.stop();
  });

  it('a full-private sell trade logs each step as action, short id and status, without keys or amounts', async () => {
    const seller = await user({ fullPrivacy: true });
    const buyer = await user({ transport: 'gift-wrap', fullPrivacy: true });
    const sellerWallet = new SimWallet(t.node.walletUrl!, 'log-seller');
    const buyerWallet = new SimWallet(t.node.walletUrl!, 'log-buyer');
    await sellerWallet.fund(100_000);
    lines.splice(0);

    const s = seller.next();
    await seller.send(s.index, { action: 'new-order', trade_index: s.index, payload: { order: fixedOrder('sell') } });
    const id = (await seller.waitFor('new-order')).message.kind.id!;
    const b = buyer.next();
    const invoice = await buyerWallet.invoice(null, 'payout');
    await buyer.send(b.index, { action: 'take-sell', id, payload: { payment_request: [null, invoice, null] } });
    const hold = holdInvoiceOf(await seller.waitFor(isPayInvoice));
    await sellerWallet.pay(hold);
    await buyer.waitFor('hold-invoice-payment-accepted');
    await buyer.send(b.index, { action: 'fiat-sent', id });
    await seller.waitFor('fiat-sent-ok');
    await seller.send(s.index, { action: 'release', id });
    await buyer.waitFor('purchase-completed');
    await eventually(() => (getOrder(t.node.ctx.db, id)?.status === 'success' ? true : undefined));
    await t.node.idle();

    const short = id.slice(0, 8);
    const trade = lines.filter((l) => l.includes(short));
    assert.deepEqual(
      trade.map((l) => l.replace(/ → (settled-hold-invoice|success)$/, ' → settled')),
      [
        `info new-order ${short} → pending`,
        `info take-sell ${short} → waiting-payment`,
        `info hold invoice paid ${short} → active`,
        `info fiat-sent ${short} → fiat-sent`,
        `info release ${short} → settled`,
        `info buyer paid ${short} → settled`,
      ],
      lines.join('\n'),
    );
    assert.match(trade.at(-1)!, /→ success$/);

    const order = getOrder(t.node.ctx.db, id)!;
    const secrets = [s.key.publicKey, b.key.publicKey, order.hash!, order.preimage!, hold, invoice];
    for (const line of lines) {
      for (const secret of secrets) assert.ok(!line.includes(secret.slice(0, 16)), `no key or invoice: ${line}`);
      assert.doesNotMatch(line, /npub1|nsec1|lnbc|lntb|lnbcrt|[0-9a-f]{16}/, `no key or invoice: ${line}`);
      // No amount at all: not the sats, not the fee, not the fiat amount.
      assert.doesNotMatch(line.replaceAll(short, ''), /\d/, `no amount: ${line}`);
    }
    assert.ok(!lines.some((l) => l.includes(String(AMOUNT))));
  });
});
