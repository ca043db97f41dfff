// What the solver console computes about disputes: the queue and its filters, the waiting count,
// newest revision wins, reputation (private), the order timeline and who receives what.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DisputeEntry, TakenDispute } from '@mostro/client';
import { mergeDispute, outcome, parties, queue, timeline, waitingCount } from '../src/console/disputes.ts';

const entry = (
  id: string,
  status: string,
  initiator: string,
  openedAt: number,
  updatedAt = openedAt,
): DisputeEntry => ({
  id,
  status,
  initiator,
  openedAt,
  updatedAt,
});

const taken: TakenDispute = {
  disputeId: 'd2',
  info: {
    id: 'o2',
    kind: 'sell',
    status: 'dispute',
    hash: null,
    preimage: null,
    order_previous_status: 'fiat-sent',
    initiator_pubkey: 'b'.repeat(64),
    buyer_pubkey: 'b'.repeat(64),
    seller_pubkey: 's'.repeat(64),
    initiator_full_privacy: true,
    counterpart_full_privacy: false,
    initiator_info: null,
    counterpart_info: { rating: 4.5, reviews: 3, operating_days: 12 },
    premium: 0,
    payment_method: 'bank',
    amount: 20_000,
    fiat_amount: 50,
    fee: 100,
    routing_fee: 0,
    buyer_invoice: null,
    invoice_held_at: 1300,
    taken_at: 1200,
    created_at: 1000,
  },
};

const list = [
  entry('d1', 'initiated', 'seller', 2000),
  entry('d2', 'in-progress', 'buyer', 1500, 1600),
  entry('d3', 'settled', 'buyer', 500, 900),
];

describe('console: disputes', () => {
  it('filters the queue, oldest first, and counts the waiting ones', () => {
    const ids = (show: Parameters<typeof queue>[2]['show'], initiator: 'any' | 'buyer' | 'seller' = 'any') =>
      queue(list, { d2: taken }, { show, initiator }).map((d) => d.id);
    assert.deepEqual(ids('open'), ['d2', 'd1']);
    assert.deepEqual(ids('waiting'), ['d1']);
    assert.deepEqual(ids('mine'), ['d2']);
    assert.deepEqual(ids('closed'), ['d3']);
    assert.deepEqual(ids('all', 'buyer'), ['d3', 'd2']);
    assert.equal(waitingCount(list), 1);
    assert.equal(queue(list, { d2: taken }, { show: 'mine', initiator: 'any' })[0]?.taken, taken);
  });

  it('keeps the newest revision of a dispute, whatever order relays deliver them in', () => {
    const newer = entry('d1', 'in-progress', 'seller', 2000, 2100);
    const a = mergeDispute(mergeDispute(list, newer), list[0] as DisputeEntry);
    assert.equal(a.find((d) => d.id === 'd1')?.status, 'in-progress');
    assert.equal(a.length, 3);
  });

  it('shows a full-privacy party as private and the other with its reputation', () => {
    const [buyer, seller] = parties(taken);
    assert.deepEqual(buyer, {
      role: 'buyer',
      pubkey: 'b'.repeat(64),
      initiator: true,
      reputation: { kind: 'private' },
    });
    assert.deepEqual(seller?.reputation, { kind: 'rated', rating: 4.5, reviews: 3, days: 12 });
    assert.equal(seller?.initiator, false);
  });

  it('puts the order states in time order, with the closing when the dispute is closed', () => {
    const open = timeline(taken, list[1] as DisputeEntry, 1700).map((s) => s.what);
    assert.deepEqual(open, ['created', 'taken', 'escrow', 'dispute', 'solver']);
    const closed = timeline(taken, entry('d2', 'settled', 'buyer', 1500, 1800), 1700);
    assert.deepEqual(closed.at(-1), { what: 'closed', at: 1800, detail: 'settled' });
  });

  it('states the sums of a decision: the buyer gets amount − fee, a cancel refunds amount + fee', () => {
    assert.deepEqual(outcome(taken), {
      settle: { buyerGets: 19_900, sellerPaid: 20_100, nodeFee: 200 },
      cancel: { sellerRefund: 20_100 },
    });
  });
});
