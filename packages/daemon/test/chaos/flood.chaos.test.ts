// Chaos: a flood of junk from fresh keys (pow 0) while honest users trade. Every honest trade
// completes (the honest side mines to the PoW the node advertises, as our SDK does), every absurd
// order is refused with its reason, and the flood is shed or refused — never a crash. Loopback only,
// bounded: a fixed number of junk events and a time limit per step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CantDoReason, NewMessageFields, SmallOrder } from '@mostro/protocol';
import { getOrder } from '../../src/db/orders.ts';
import { eventually } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { type Received, TestUser } from '../support/test-user.ts';
import { SimWallet } from '../support/wallet.ts';
import { advertisedPow, flood, signJunk } from './flood-support.ts';

const JUNK = Number(process.env.MOSTRO_CHAOS_JUNK ?? 3000);
const AMOUNT = 20_000;
const FEE = 60;

const order = (fields: Partial<SmallOrder> = {}): SmallOrder => ({
  kind: 'sell',
  status: 'pending',
  amount: AMOUNT,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 20,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 0,
  expires_at: null,
  ...fields,
});

describe('chaos: junk flood while honest users trade', { timeout: 240_000 }, () => {
  let t: TestNode;
  const users: TestUser[] = [];
  const user = async (options: { fullPrivacy?: boolean } = {}) => {
    const u = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey, ...options });
    users.push(u);
    await u.listen();
    return u;
  };

  /** Sends from trade key `index`, mined to the advertised PoW; rebuilt until `answer` arrives. */
  const ask = async (
    u: TestUser,
    index: number,
    fields: Omit<NewMessageFields, 'request_id'>,
    answer: (r: Received) => boolean,
  ): Promise<Received> => {
    for (let attempt = 1; ; attempt++) {
      const pow = await advertisedPow(t.node.relays, t.node.pubkey);
      await u.send(index, fields, { pow });
      try {
        return await u.waitFor(answer, 6000);
      } catch (error) {
        if (attempt >= 8) throw error;
      }
    }
  };
  const action = (name: string) => (r: Received) => r.message.kind.action === name;

  before(async () => {
    t = await startTestNode({
      settings: {
        'mostro.fee': 0.006,
        'intake.queue_size': 200,
        'intake.pow_first_contact_max': 8,
        // The node's intake is under test here, not the relay's own per-connection limit.
        'relay.dm_per_minute': 1_000_000,
        // The 60 000-character payment method must reach the node's order checks, not the relay's.
        'relay.dm_max_bytes': 1_000_000,
      },
    });
  });
  after(async () => {
    for (const u of users) u.close();
    await t.stop();
  });

  it('every honest trade completes and every absurd order is refused while junk floods in', async () => {
    const junk = signJunk(t.node.pubkey, JUNK);
    const seller = await user();
    const buyer = await user({ fullPrivacy: true });
    const sellerWallet = new SimWallet(t.node.walletUrl!, 'chaos-seller');
    const buyerWallet = new SimWallet(t.node.walletUrl!, 'chaos-buyer');
    await sellerWallet.fund(100_000);

    const flooding = flood(t.node.embeddedRelayUrl!, junk, 16);
    {
      // A sell trade, start to end.
      const s = seller.next();
      const made = await ask(
        seller,
        s.index,
        { action: 'new-order', trade_index: s.index, payload: { order: order() } },
        action('new-order'),
      );
      const id = made.message.kind.id!;
      const b = buyer.next();
      const invoice = await buyerWallet.invoice(AMOUNT - FEE, 'payout');
      const pay = await ask(
        buyer,
        b.index,
        { action: 'take-sell', id, payload: { payment_request: [null, invoice, null] } },
        (r) => r.message.kind.action === 'waiting-seller-to-pay',
      );
      assert.ok(pay);
      const hold = await seller.waitFor(
        (r) =>
          r.message.kind.action === 'pay-invoice' &&
          r.message.kind.payload !== null &&
          'payment_request' in r.message.kind.payload,
        20_000,
      );
      const [, bolt11] = (hold.message.kind.payload as { payment_request: [SmallOrder, string, null] }).payment_request;
      await sellerWallet.pay(bolt11);
      await buyer.waitFor('hold-invoice-payment-accepted', 20_000);
      // From here both keys are known to the node: the known lane, no PoW.
      await buyer.send(b.index, { action: 'fiat-sent', id });
      await seller.waitFor('fiat-sent-ok', 20_000);
      await seller.send(s.index, { action: 'release', id });
      await buyer.waitFor('released', 20_000);
      const done = await eventually(
        () => (getOrder(t.node.ctx.db, id)?.status === 'success' ? true : undefined),
        20_000,
      );
      assert.ok(done);
      assert.equal(await buyerWallet.balance(), AMOUNT - FEE, 'the buyer was paid');

      // Absurd orders, each refused with its reason (full private: fresh keys, no index).
      const absurd: [Partial<SmallOrder>, CantDoReason][] = [
        [{ amount: 0, premium: 100_000 }, 'invalid_parameters'],
        [{ amount: 0, premium: -1_000_000 }, 'invalid_parameters'],
        [{ payment_method: 'x'.repeat(60_000) }, 'invalid_parameters'],
        [{ fiat_code: 'ZZZZ' }, 'invalid_fiat_currency'],
      ];
      for (const [fields, reason] of absurd) {
        const k = buyer.next();
        const r = await ask(
          buyer,
          k.index,
          { action: 'new-order', payload: { order: order(fields) } },
          action('cant-do'),
        );
        assert.deepEqual(r.message.kind.payload, { cant_do: reason }, JSON.stringify(fields).slice(0, 60));
      }
      const k = seller.next();
      const negative = await ask(
        seller,
        k.index,
        { action: 'new-order', trade_index: -7, payload: { order: order() } },
        action('cant-do'),
      );
      assert.deepEqual(negative.message.kind.payload, { cant_do: 'invalid_trade_index' });
    }
    const { accepted } = await flooding;
    await t.node.idle();
    const stats = t.node.stats;
    const refused = (stats['shed:first-contact'] ?? 0) + (stats['dropped:first_contact_pow'] ?? 0);
    console.log(`chaos: ${accepted}/${JUNK} junk accepted by the relay; node stats ${JSON.stringify(stats)}`);
    assert.ok(accepted > JUNK / 2, 'the relay took the flood');
    const dropped = Object.entries(stats)
      .filter(([key]) => key.startsWith('dropped:') || key.startsWith('shed:'))
      .reduce((n, [, v]) => n + v, 0);
    assert.ok(dropped + (stats.handled ?? 0) + (stats['cant-do'] ?? 0) >= accepted, 'every junk event accounted for');
    if (refused === 0) console.log('chaos: the node kept up with the flood; nothing had to be shed');
    assert.equal(stats['intake-error'] ?? 0, 0);
    assert.equal(stats['internal-error'] ?? 0, 0);
  });
});
