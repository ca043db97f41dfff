import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action, MessageKind, Payload, SmallOrder } from '@mostro/protocol';
import { applyMessage, newTrade } from '../src/trade/machine.ts';
import { answers, UNSOLICITED } from '../src/trade/replies.ts';
import type { TradeRecord } from '../src/trade/types.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const S = '1c71f0a29c9d14198781f36897c6d6c08e2c4f905ba69fc5f8e67d375d705a8a';
const B = '5011d0e7a57ae27627ab76962537072c6809ef3b9e24c2e3db4e672c61624eef';
const order = (o: Partial<SmallOrder>): SmallOrder => ({
  id: ID,
  kind: 'sell',
  status: 'pending',
  amount: 100_000,
  fiat_code: 'EUR',
  min_amount: null,
  max_amount: null,
  fiat_amount: 50,
  payment_method: 'SEPA',
  premium: 0,
  created_at: 1000,
  expires_at: 90_000,
  ...o,
});
const msg = (action: Action, payload: Payload | null = null, extra: Partial<MessageKind> = {}): MessageKind => ({
  version: 2,
  request_id: null,
  trade_index: null,
  id: ID,
  action,
  payload,
  ...extra,
});

function play(start: TradeRecord, script: [Action, Payload | null][]): TradeRecord[] {
  const out: TradeRecord[] = [];
  let t = start;
  let at = 2000;
  for (const [action, payload] of script) {
    t = applyMessage(t, msg(action, payload), at++, { expirationSeconds: 900 }).trade;
    out.push(t);
  }
  return out;
}

describe('trade state machine', () => {
  it('sell order, seller = maker: pending → waiting → active → fiat-sent → settled → success', () => {
    const start = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      order: order({}),
      now: 1000,
    });
    assert.equal(start.side, 'seller');
    assert.deepEqual(start.deadline, { what: 'the order expires if nobody takes it', at: 90_000 });
    const steps = play(start, [
      ['waiting-buyer-invoice', null],
      ['pay-invoice', { peer: { pubkey: '', reputation: { rating: 4.5, reviews: 3, operating_days: 10 } } }],
      [
        'pay-invoice',
        { payment_request: [order({ status: 'waiting-payment', amount: 100_300 }), 'lnbcrt1hold', null] },
      ],
      [
        'buyer-took-order',
        { order: order({ status: 'active', amount: 100_300, buyer_trade_pubkey: B, seller_trade_pubkey: S }) },
      ],
      ['fiat-sent-ok', { peer: { pubkey: B, reputation: null } }],
      ['hold-invoice-payment-settled', null],
      ['rate', null],
      ['rate-received', { rating_user: 5 }],
    ]);
    assert.deepEqual(
      steps.map((t) => [t.status, t.next]),
      [
        ['waiting-buyer-invoice', 'wait'],
        ['waiting-buyer-invoice', 'wait'],
        ['waiting-payment', 'pay-invoice'],
        ['active', 'wait'],
        ['fiat-sent', 'release'],
        ['settled-hold-invoice', 'wait'],
        ['success', 'rate'],
        ['success', 'none'],
      ],
    );
    assert.equal(steps[1]?.counterpartyReputation?.reviews, 3);
    assert.equal(steps[2]?.holdInvoice, 'lnbcrt1hold');
    assert.equal(steps[2]?.amountSats, 100_300);
    assert.deepEqual(steps[2]?.deadline, { what: 'pay the hold invoice or the take is undone', at: 2002 + 900 });
    assert.equal(steps[3]?.counterpartyPubkey, B);
    assert.equal(steps[3]?.holdInvoice, null);
  });

  it("the deadline to pay the hold invoice is the node's hold invoice expiry when that comes first", () => {
    const timers = { expirationSeconds: 900, holdInvoiceExpirationWindow: 300 };
    const seller = newTrade({
      orderId: ID,
      nodePubkey: S,
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      order: order({}),
      now: 1000,
    });
    const pay = applyMessage(
      seller,
      msg('pay-invoice', { payment_request: [order({ status: 'waiting-payment' }), 'lnbcrt1hold', null] }),
      5000,
      timers,
    ).trade;
    assert.deepEqual(pay.deadline, { what: 'pay the hold invoice or the take is undone', at: 5300 });
    const buyer = newTrade({ ...seller, role: 'taker', now: 1000 });
    const waiting = applyMessage(buyer, msg('waiting-seller-to-pay'), 5000, timers).trade;
    assert.deepEqual(waiting.deadline, { what: 'the seller must pay the hold invoice', at: 5300 });
    // A node whose invoice outlives the waiting timeout: the timeout comes first.
    const long = applyMessage(buyer, msg('waiting-seller-to-pay'), 5000, {
      ...timers,
      holdInvoiceExpirationWindow: 3600,
    });
    assert.equal(long.trade.deadline?.at, 5900);
    // The invoice deadline does not shorten the buyer's time to send an invoice.
    const addInvoice = applyMessage(
      buyer,
      msg('add-invoice', { order: order({ status: 'waiting-buyer-invoice' }) }),
      5000,
      timers,
    );
    assert.equal(addInvoice.trade.deadline?.at, 5900);
  });

  it('buy order, buyer = maker: waiting-seller-to-pay → add-invoice → active → fiat-sent → released → success', () => {
    const start = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'buy',
      tradeIndex: 2,
      fullPrivate: true,
      order: order({ kind: 'buy' }),
      now: 1000,
    });
    assert.equal(start.side, 'buyer');
    const steps = play(start, [
      ['waiting-seller-to-pay', null],
      ['add-invoice', { order: order({ kind: 'buy', status: 'waiting-buyer-invoice', amount: 99_700 }) }],
      ['add-invoice', { peer: { pubkey: '', reputation: null } }],
      [
        'hold-invoice-payment-accepted',
        {
          order: order({
            kind: 'buy',
            status: 'active',
            amount: 99_700,
            buyer_trade_pubkey: B,
            seller_trade_pubkey: S,
          }),
        },
      ],
      ['fiat-sent-ok', { peer: { pubkey: S, reputation: null } }],
      ['released', null],
      ['purchase-completed', null],
    ]);
    assert.deepEqual(
      steps.map((t) => [t.status, t.next]),
      [
        ['waiting-payment', 'wait'],
        ['waiting-buyer-invoice', 'add-invoice'],
        ['waiting-buyer-invoice', 'add-invoice'],
        ['active', 'fiat-sent'],
        ['fiat-sent', 'wait'],
        ['settled-hold-invoice', 'wait'],
        ['success', 'rate'],
      ],
    );
    assert.equal(steps[1]?.amountSats, 99_700);
    assert.equal(steps[3]?.counterpartyPubkey, S);
  });

  it('taker canceled: the maker sees the order republished; a cooperative cancel needs both sides', () => {
    const maker = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      order: order({}),
      now: 1000,
    });
    const [waiting, back] = play(maker, [
      ['waiting-buyer-invoice', null],
      ['new-order', { order: order({ status: 'pending' }) }],
    ]);
    assert.equal(waiting?.status, 'waiting-buyer-invoice');
    assert.equal(back?.status, 'pending');
    const taker = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'taker',
      kind: 'sell',
      tradeIndex: 3,
      fullPrivate: false,
      now: 1000,
    });
    const steps = play({ ...taker, status: 'active' }, [
      ['cooperative-cancel-initiated-by-peer', null],
      ['cooperative-cancel-accepted', null],
    ]);
    assert.deepEqual(
      steps.map((t) => [t.status, t.next, t.cooperativeCancel]),
      [
        ['active', 'confirm-cancel', 'by-peer'],
        ['cooperatively-canceled', 'none', 'by-peer'],
      ],
    );
  });

  it('disputes, payout failure and refusals', () => {
    const t = {
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'taker',
        kind: 'sell',
        tradeIndex: 3,
        fullPrivate: false,
        now: 1000,
      }),
      status: 'fiat-sent' as const,
    };
    const steps = play(t, [
      ['dispute-initiated-by-you', { dispute: ['508e1272-d5f4-47e6-bd97-3504baea9c25', null] }],
      ['admin-took-dispute', { peer: { pubkey: S, reputation: null } }],
      ['cant-do', { cant_do: 'not_allowed_by_status' }],
      ['admin-settled', null],
      ['payment-failed', { payment_failed: { payment_attempts: 2, payment_retries_interval: 60 } }],
      ['add-invoice', { order: order({ status: 'settled-hold-invoice', amount: 99_700 }) }],
      ['invoice-updated', null],
      ['purchase-completed', null],
    ]);
    assert.deepEqual(steps[0]?.dispute, { id: '508e1272-d5f4-47e6-bd97-3504baea9c25', byMe: true, solverPubkey: null });
    assert.equal(steps[1]?.dispute?.solverPubkey, S);
    assert.equal(steps[2]?.lastError, 'not_allowed_by_status');
    assert.equal(steps[2]?.status, 'dispute');
    assert.equal(steps[3]?.status, 'settled-hold-invoice');
    assert.deepEqual(steps[4]?.paymentFailed, { attempts: 2, retryIntervalSeconds: 60 });
    assert.equal(steps[5]?.status, 'settled-hold-invoice');
    assert.equal(steps[5]?.next, 'add-invoice');
    assert.equal(steps[6]?.next, 'wait');
    assert.equal(steps[6]?.paymentFailed, null, 'the failure was the replaced invoice’s');
    assert.equal(steps[7]?.status, 'success');
    assert.equal(steps[7]?.paymentFailed, null);
  });

  it('ignores unknown actions without changing the trade', () => {
    const t = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      now: 1000,
    });
    const step = applyMessage(t, msg('cashu-escrow-locked'), 5000);
    assert.equal(step.ignored, true);
    assert.equal(step.trade, t);
  });
});

describe('reply matching', () => {
  const req = { action: 'take-sell' as const, requestId: 77n, id: ID, tradeIndex: 3 };
  it('matches by request_id, or by order id for the allow-listed replies', () => {
    assert.ok(answers(req, msg('add-invoice', null, { request_id: 77n })));
    assert.ok(!answers(req, msg('add-invoice', null, { request_id: 78n })));
    assert.ok(answers(req, msg('waiting-seller-to-pay')));
    assert.ok(!answers(req, msg('fiat-sent-ok')), 'not a reply to a take');
    assert.ok(answers(req, msg('cant-do', { cant_do: 'invalid_order_status' }, { request_id: 77n })));
    assert.ok(!answers(req, msg('cant-do', { cant_do: 'invalid_order_status' }, { request_id: 1n })));
    const nw = { action: 'new-order' as const, requestId: 5n, tradeIndex: 4 };
    assert.ok(answers(nw, { ...msg('new-order', null, { trade_index: 4 }) }));
    assert.ok(!answers(nw, { ...msg('new-order', null, { trade_index: 5 }) }));
  });
  it('0.20 actions: user-info and declare-payer replies; payer-declared / payment-history may come without request_id', () => {
    const info = { action: 'user-info' as const, requestId: 9n };
    assert.ok(answers(info, msg('user-info', null, { request_id: 9n })));
    assert.ok(!answers(info, msg('user-info', null, { request_id: 8n })));
    const declare = { action: 'declare-payer' as const, requestId: 10n, id: ID };
    assert.ok(answers(declare, msg('payer-declared', null, { request_id: 10n })));
    assert.ok(answers(declare, msg('payer-declared')), 'allow-listed: matched by order id');
    assert.ok(UNSOLICITED.has('payer-declared') && UNSOLICITED.has('payment-history'));
  });
});

describe('out-of-order delivery', () => {
  it('a late forward-only message never moves a trade back', () => {
    const t = {
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'taker',
        kind: 'sell',
        tradeIndex: 3,
        fullPrivate: false,
        now: 1000,
      }),
      status: 'fiat-sent' as const,
    };
    // A relay returned the same-second messages newest first.
    const steps = play(t, [
      ['purchase-completed', null],
      ['released', null],
      ['rate', null],
    ]);
    assert.deepEqual(
      steps.map((s) => s.status),
      ['success', 'success', 'success'],
    );
    // Same for a dispute settled by the solver: the payout may be read before the settlement.
    const disputed = { ...t, status: 'dispute' as const };
    const settled = play(disputed, [
      ['purchase-completed', null],
      ['admin-settled', null],
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['success', 'success'],
    );
    assert.equal(steps[2]?.next, 'rate');
    // A republish (new-order) is not forward-only: it does reset a taken order.
    const maker = {
      ...newTrade({
        orderId: ID,
        nodePubkey: 'n',
        role: 'maker',
        kind: 'sell',
        tradeIndex: 1,
        fullPrivate: false,
        now: 1000,
      }),
      status: 'waiting-payment' as const,
    };
    assert.equal(applyMessage(maker, msg('new-order', { order: order({}) }), 3000).trade.status, 'pending');
  });
});
