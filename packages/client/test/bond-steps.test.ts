// The trade state machine's bond steps (protocol.md §5.12): the bond to pay (and that it locked),
// a slashed bond, and the share claim of the wronged party.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action, MessageKind, Payload, SmallOrder } from '@mostro/protocol';
import { applyMessage, newTrade } from '../src/trade/machine.ts';
import type { TradeRecord } from '../src/trade/types.ts';

const ID = '6f0c2a1e-3b7d-4c55-9a51-0d9a7f6f1b2c';
const small = (amount: number, status: SmallOrder['status'] = 'pending'): SmallOrder => ({
  id: ID,
  kind: 'sell',
  status,
  amount,
  fiat_code: 'USD',
  min_amount: null,
  max_amount: null,
  fiat_amount: 100,
  payment_method: 'bank transfer',
  premium: 0,
  created_at: 1000,
  expires_at: 90_000,
});
const kind = (action: Action, payload: Payload | null): MessageKind => ({
  version: 2,
  request_id: null,
  trade_index: null,
  id: ID,
  action,
  payload,
});
const apply = (t: TradeRecord, action: Action, payload: Payload | null, at = 2000): TradeRecord =>
  applyMessage(t, kind(action, payload), at, { expirationSeconds: 900, holdInvoiceExpirationWindow: 300 }).trade;

const taker = (): TradeRecord =>
  newTrade({ orderId: ID, nodePubkey: 'n', role: 'taker', kind: 'sell', tradeIndex: 2, fullPrivate: false, now: 1 });

describe('trade machine: bonds', () => {
  it('a taker bond: to pay with its amount, invoice and deadline; locked once the trade goes on', () => {
    let t = apply(taker(), 'pay-bond-invoice', { payment_request: [small(2000), 'lnbcrt20u1bond', null] });
    assert.equal(t.status, 'waiting-taker-bond');
    assert.equal(t.next, 'pay-bond-invoice');
    assert.deepEqual(t.bond, { state: 'to-pay', amountSats: 2000, invoice: 'lnbcrt20u1bond' });
    assert.equal(t.amountSats, null, 'the bond amount is not the trade amount');
    assert.equal(t.deadline?.at, 2300);
    t = apply(t, 'add-invoice', { order: small(199_400, 'waiting-buyer-invoice') }, 2100);
    assert.equal(t.bond?.state, 'locked');
    assert.equal(t.bondInvoice, null);
    assert.equal(t.status, 'waiting-buyer-invoice');
    t = apply(t, 'canceled', null, 2200);
    assert.equal(t.bond?.state, 'released', 'a canceled trade gives the bond back');
  });

  it('slashed, and the winner claims its share until it is paid', () => {
    let t = apply(taker(), 'pay-bond-invoice', { payment_request: [small(2000), 'lnbcrt20u1bond', null] });
    t = apply(t, 'bond-slashed', { order: small(2000, null) });
    assert.equal(t.bond?.state, 'slashed');

    let w = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      now: 1,
    });
    w = { ...w, status: 'canceled-by-admin' };
    w = apply(w, 'add-bond-invoice', { bond_payout_request: { order: small(1000), slashed_at: 1_734_000_000 } });
    assert.deepEqual(w.bondClaim, { amountSats: 1000, slashedAt: 1_734_000_000, state: 'to-claim' });
    assert.equal(w.next, 'add-bond-invoice');
    w = apply(w, 'bond-invoice-accepted', { order: small(1000) });
    assert.equal(w.bondClaim?.state, 'accepted');
    w = apply(w, 'bond-payout-completed', { order: small(1000) });
    assert.equal(w.bondClaim?.state, 'paid');
    assert.equal(w.next, 'none');
    // The reply to the claim applied after the payout's confirmation leaves the claim paid.
    w = apply(w, 'bond-invoice-accepted', { order: small(1000) });
    assert.equal(w.bondClaim?.state, 'paid');
    assert.equal(w.next, 'none');
  });

  it('a maker bond: the first new-order after it is the publication, not a taker leaving', () => {
    let t = newTrade({
      orderId: ID,
      nodePubkey: 'n',
      role: 'maker',
      kind: 'sell',
      tradeIndex: 1,
      fullPrivate: false,
      now: 1,
    });
    t = apply(t, 'pay-bond-invoice', { payment_request: [small(2000), 'lnbcrt20u1bond', null] });
    assert.equal(t.status, 'waiting-maker-bond');
    const step = applyMessage(t, kind('new-order', { order: small(0) }), 2100, { expirationSeconds: 900 });
    assert.equal(step.trade.status, 'pending');
    assert.equal(step.trade.bond?.state, 'locked');
    assert.equal(step.summary, 'order published, waiting for a taker');
  });
});
