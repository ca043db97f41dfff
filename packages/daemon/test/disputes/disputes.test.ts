// Disputes through the real node, the embedded relay and a simulated Lightning network: opening
// (§7.1), solvers and taking (§7.2), the solver's decisions (§7.3) with the money checked in the
// wallets, who is refused and with which reason, and users closing a dispute themselves.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Peer, SolverDisputeInfo } from '@mostro/protocol';
import { toNpub } from '@mostro/protocol';
import { getDispute, getDisputeByOrder } from '../../src/db/disputes.ts';
import { getOrder } from '../../src/db/orders.ts';
import { getUser } from '../../src/db/users.ts';
import { eventually, queryRelay, tag } from '../support/relay-query.ts';
import {
  type ActiveTrade,
  type AdminKey,
  AMOUNT,
  activeTrade,
  addSolver,
  balanceSats,
  FEE,
  FUNDS,
  type Harness,
  must,
  sellOrder,
  startHarness,
} from './support.ts';

const disputePayload = (m: { message: { kind: { payload: unknown } } }) =>
  (m.message.kind.payload as { dispute: [string, SolverDisputeInfo | null] }).dispute;

describe('disputes', () => {
  let h: Harness;
  let operator: AdminKey;

  before(async () => {
    h = await startHarness();
    operator = await h.admin(h.t.secretKey);
  });
  after(async () => {
    await h.close();
  });

  const newTrade = async () => activeTrade(h, await h.user(), await h.user({ transport: 'gift-wrap' }));

  /** The buyer opens a dispute; both sides are told; returns the dispute id. */
  const openDispute = async (trade: ActiveTrade, by: 'buyer' | 'seller' = 'buyer'): Promise<string> => {
    const opener = trade[by];
    const peer = by === 'buyer' ? trade.seller : trade.buyer;
    await opener.user.send(opener.index, { action: 'dispute', id: trade.id });
    const mine = await opener.user.waitFor('dispute-initiated-by-you');
    const theirs = await peer.user.waitFor('dispute-initiated-by-peer');
    const [disputeId, none] = disputePayload(mine);
    assert.equal(none, null);
    assert.deepEqual(disputePayload(theirs), [disputeId, null]);
    assert.equal(mine.message.kind.id, trade.id);
    return disputeId;
  };

  const solver = async (permission: '' | ':read' | ':write' | ':read-write' = '') => {
    const s = await h.admin();
    await addSolver(operator, `${toNpub(s.publicKey)}${permission}`);
    return s;
  };

  const take = async (by: AdminKey, disputeId: string) => {
    await by.send({ action: 'admin-take-dispute', id: disputeId });
    return by.waitFor('admin-took-dispute');
  };

  it('a party opens a dispute on an active trade: order in dispute, dispute row, both told, 38386 initiated', async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade, 'buyer');
    const order = getOrder(h.t.node.ctx.db, trade.id)!;
    assert.equal(order.status, 'dispute');
    assert.equal(order.buyer_dispute, true);
    const row = getDispute(h.t.node.ctx.db, disputeId)!;
    assert.equal(row.order_id, trade.id);
    assert.equal(row.status, 'initiated');
    assert.equal(row.order_previous_status, 'active');
    assert.equal(row.initiator, 'buyer');
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38386], '#d': [disputeId] });
    assert.ok(event, '38386 published');
    assert.deepEqual(tag(event, 's'), ['s', 'initiated']);
    assert.deepEqual(tag(event, 'initiator'), ['initiator', 'buyer']);
    assert.deepEqual(tag(event, 'z'), ['z', 'dispute']);
    // The order has left `pending` for good: the book must not offer it (the reference keeps `pending`).
    const [orderEvent] = await queryRelay(h.t.node.relays, { kinds: [38383], '#d': [trade.id] });
    assert.deepEqual(tag(orderEvent!, 's'), ['s', 'in-progress']);

    // A second dispute on the same order: the order is no longer active or fiat-sent, so the
    // reference's status check answers not_allowed_by_status (not an internal error, not silence).
    trade.seller.user.inbox.splice(0);
    const internalBefore = h.t.node.stats['internal-error'] ?? 0;
    await trade.seller.user.send(trade.seller.index, { action: 'dispute', id: trade.id });
    const refusal = await trade.seller.user.waitFor('cant-do');
    assert.deepEqual(refusal.message.kind.payload, { cant_do: 'not_allowed_by_status' });
    assert.equal(refusal.message.kind.id, trade.id);
    assert.equal(h.t.node.stats['internal-error'] ?? 0, internalBefore, 'no internal error');
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'initiated');
  });

  it('refuses a dispute from a stranger (invalid_pubkey) and on an order that is not active (not_allowed_by_status)', async () => {
    const trade = await newTrade();
    const stranger = await h.user();
    const x = stranger.next();
    await stranger.send(x.index, { action: 'dispute', id: trade.id });
    const refusal = await stranger.waitFor('cant-do');
    assert.deepEqual(refusal.message.kind.payload, { cant_do: 'invalid_pubkey' });
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'active');
    assert.equal(getDisputeByOrder(h.t.node.ctx.db, trade.id), undefined);

    const maker = await h.user();
    const m = maker.next();
    await maker.send(m.index, { action: 'new-order', trade_index: m.index, payload: { order: sellOrder() } });
    const pendingId = (await maker.waitFor('new-order')).message.kind.id!;
    await maker.send(m.index, { action: 'dispute', id: pendingId });
    assert.deepEqual((await maker.waitFor('cant-do')).message.kind.payload, { cant_do: 'not_allowed_by_status' });
    assert.equal(getDisputeByOrder(h.t.node.ctx.db, pendingId), undefined);
  });

  it('admin-add-solver: only from the node key; permissions; malformed text refused', async () => {
    const intruder = await h.admin();
    const candidate = await h.admin();
    await intruder.send({
      action: 'admin-add-solver',
      id: randomUUID(),
      payload: { text_message: toNpub(intruder.publicKey) },
    });
    assert.deepEqual(await intruder.quiet(), [], 'no answer to a stranger');
    assert.equal(getUser(h.t.node.ctx.db, intruder.publicKey), undefined, 'the stranger did not become a solver');

    await addSolver(operator, `${toNpub(candidate.publicKey)}:read`);
    assert.equal(getUser(h.t.node.ctx.db, candidate.publicKey)?.solver_permission, 'read');
    await addSolver(operator, `${toNpub(candidate.publicKey)}:write`);
    assert.equal(getUser(h.t.node.ctx.db, candidate.publicKey)?.solver_permission, 'read-write');

    await operator.send({
      action: 'admin-add-solver',
      id: randomUUID(),
      payload: { text_message: `${toNpub(candidate.publicKey)}:admin` },
    });
    assert.deepEqual((await operator.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_parameters' });
    await operator.send({ action: 'admin-add-solver', id: randomUUID(), payload: { text_message: '  ' } });
    assert.deepEqual((await operator.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_text_message' });
  });

  it('a solver takes: full dispute info to the solver, its key to both parties, 38386 in-progress', async () => {
    // A full-private buyer: the solver sees no reputation for that side.
    const trade = await activeTrade(h, await h.user(), await h.user({ fullPrivacy: true }));
    const disputeId = await openDispute(trade, 'seller');
    const s = await solver();
    const took = await take(s, disputeId);
    assert.equal(took.message.wrapper, 'dispute');
    assert.equal(took.message.kind.id, disputeId);
    const [id, info] = disputePayload(took);
    assert.equal(id, disputeId);
    assert.ok(info);
    const order = getOrder(h.t.node.ctx.db, trade.id)!;
    assert.equal(info.id, trade.id);
    assert.equal(info.status, 'dispute');
    assert.equal(info.order_previous_status, 'active');
    assert.equal(info.hash, trade.hash);
    assert.equal(info.preimage, order.preimage);
    assert.equal(info.initiator_pubkey, trade.seller.key.publicKey);
    assert.equal(info.buyer_pubkey, trade.buyer.key.publicKey);
    assert.equal(info.seller_pubkey, trade.seller.key.publicKey);
    assert.equal(info.initiator_full_privacy, false);
    assert.equal(info.counterpart_full_privacy, true);
    // 0.20: `since` is the first day of the user's row, as a UTC day start.
    const seller = getUser(h.t.node.ctx.db, trade.seller.user.identity.publicKey)!;
    const since = seller.created_at - (seller.created_at % 86_400);
    assert.deepEqual(info.initiator_info, { rating: 0, reviews: 0, operating_days: 0, since });
    assert.equal(info.counterpart_info, null);
    assert.equal(info.buyer_invoice, order.buyer_invoice);
    assert.equal(info.invoice_held_at, order.invoice_held_at);
    assert.equal(info.amount, AMOUNT);
    assert.equal(info.fee, FEE);

    for (const party of [trade.buyer, trade.seller]) {
      const told = await party.user.waitFor('admin-took-dispute');
      assert.equal(told.message.wrapper, 'order');
      assert.equal(told.message.kind.id, trade.id);
      assert.deepEqual((told.message.kind.payload as { peer: Peer }).peer, { pubkey: s.publicKey, reputation: null });
    }
    const row = getDispute(h.t.node.ctx.db, disputeId)!;
    assert.equal(row.status, 'in-progress');
    assert.equal(row.solver_pubkey, s.publicKey);
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38386], '#d': [disputeId] });
    assert.deepEqual(tag(event!, 's'), ['s', 'in-progress']);
    assert.deepEqual(tag(event!, 'initiator'), ['initiator', 'seller']);

    // Another solver cannot take a dispute in progress; a stranger cannot take at all.
    const other = await solver();
    await other.send({ action: 'admin-take-dispute', id: disputeId });
    assert.deepEqual((await other.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_pubkey' });
    const stranger = await h.admin();
    await stranger.send({ action: 'admin-take-dispute', id: disputeId });
    assert.deepEqual((await stranger.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_pubkey' });
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.solver_pubkey, s.publicKey);
  });

  it('a solver cannot take a dispute of its own trade', async () => {
    const seller = await h.user();
    const trade = await activeTrade(h, seller, await h.user());
    const disputeId = await openDispute(trade);
    await addSolver(operator, toNpub(seller.identity.publicKey));
    const sellerAsSolver = await h.admin(seller.identity.secretKey);
    await sellerAsSolver.send({ action: 'admin-take-dispute', id: disputeId });
    assert.deepEqual((await sellerAsSolver.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_pubkey' });
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'initiated');
  });

  it('admin-settle by the assigned read-write solver: hold settled, buyer paid, dispute settled, everyone told', async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade);
    const s = await solver(':read-write');
    await take(s, disputeId);
    await s.send({ action: 'admin-settle', id: trade.id });
    await s.waitFor('admin-settled');
    await trade.seller.user.waitFor('admin-settled');
    await trade.buyer.user.waitFor('admin-settled');
    await trade.buyer.user.waitFor('purchase-completed');
    await trade.buyer.user.waitFor('rate');
    await trade.seller.user.waitFor('rate');

    const order = await eventually(() => {
      const o = getOrder(h.t.node.ctx.db, trade.id);
      return o?.status === 'success' ? o : undefined;
    });
    assert.equal(order.hold_state, 'settled');
    assert.equal(must(h.net.getInvoice(trade.hash)).state, 'settled', "the seller's hold invoice is settled");
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE, 'the buyer received amount − fee');
    assert.ok(balanceSats(h.net, trade.seller.wallet) <= FUNDS - AMOUNT - FEE, 'the seller paid');
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'settled');
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38386], '#d': [disputeId] });
    assert.deepEqual(tag(event!, 's'), ['s', 'settled']);
    const [orderEvent] = await queryRelay(h.t.node.relays, { kinds: [38383], '#d': [trade.id] });
    assert.deepEqual(tag(orderEvent!, 's'), ['s', 'success']);

    // Deciding again: the order is no longer in dispute.
    await s.send({ action: 'admin-settle', id: trade.id });
    assert.deepEqual((await s.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_order_status' });
  });

  it('admin-cancel: the seller is refunded, order canceled-by-admin (published canceled), dispute seller-refunded', async () => {
    const trade = await newTrade();
    await trade.buyer.user.send(trade.buyer.index, { action: 'fiat-sent', id: trade.id });
    await trade.seller.user.waitFor('fiat-sent-ok');
    const disputeId = await openDispute(trade, 'seller');
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.order_previous_status, 'fiat-sent');
    const s = await solver();
    await take(s, disputeId);
    await s.send({ action: 'admin-cancel', id: trade.id });
    await s.waitFor('admin-canceled');
    await trade.seller.user.waitFor('admin-canceled');
    await trade.buyer.user.waitFor('admin-canceled');

    const order = getOrder(h.t.node.ctx.db, trade.id)!;
    assert.equal(order.status, 'canceled-by-admin');
    const hold = await eventually(() => {
      const inv = must(h.net.getInvoice(trade.hash));
      return inv.state === 'canceled' ? inv : undefined;
    });
    assert.equal(hold.state, 'canceled');
    assert.equal(balanceSats(h.net, trade.seller.wallet), FUNDS, "the seller's sats are back");
    assert.equal(balanceSats(h.net, trade.buyer.wallet), 0);
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'seller-refunded');
    const [event] = await queryRelay(h.t.node.relays, { kinds: [38386], '#d': [disputeId] });
    assert.deepEqual(tag(event!, 's'), ['s', 'seller-refunded']);
    const [orderEvent] = await queryRelay(h.t.node.relays, { kinds: [38383], '#d': [trade.id] });
    assert.deepEqual(tag(orderEvent!, 's'), ['s', 'canceled']);

    await s.send({ action: 'admin-cancel', id: trade.id });
    assert.deepEqual((await s.waitFor('cant-do')).message.kind.payload, { cant_do: 'not_allowed_by_status' });
  });

  it('a read-only solver may take but not decide (not_authorized); a read-write solver takes over and decides', async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade);
    const reader = await solver(':read');
    await take(reader, disputeId);
    await trade.buyer.user.waitFor('admin-took-dispute');
    for (const action of ['admin-settle', 'admin-cancel'] as const) {
      await reader.send({ action, id: trade.id });
      assert.deepEqual((await reader.waitFor('cant-do')).message.kind.payload, { cant_do: 'not_authorized' });
    }
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'dispute');
    assert.equal(must(h.net.getInvoice(trade.hash)).state, 'accepted', 'nothing moved');

    const writer = await solver(':read-write');
    await take(writer, disputeId);
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.solver_pubkey, writer.publicKey);
    // The read-only solver is no longer the one assigned.
    await reader.send({ action: 'admin-settle', id: trade.id });
    assert.deepEqual((await reader.waitFor('cant-do')).message.kind.payload, { cant_do: 'is_not_your_dispute' });
    await writer.send({ action: 'admin-cancel', id: trade.id });
    await writer.waitFor('admin-canceled');
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'canceled-by-admin');
  });

  it("refuses a stranger's and another solver's decisions; the node key's takeover answers dispute_taken_by_admin", async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade);
    const assigned = await solver();
    await take(assigned, disputeId);

    const stranger = await h.admin();
    const otherSolver = await solver();
    for (const who of [stranger, otherSolver]) {
      for (const action of ['admin-settle', 'admin-cancel'] as const) {
        await who.send({ action, id: trade.id });
        assert.deepEqual((await who.waitFor('cant-do')).message.kind.payload, { cant_do: 'is_not_your_dispute' });
      }
    }
    // A party of the trade is not a solver either.
    await trade.buyer.user.send(trade.buyer.index, { action: 'admin-settle', id: trade.id });
    assert.deepEqual((await trade.buyer.user.waitFor('cant-do')).message.kind.payload, {
      cant_do: 'is_not_your_dispute',
    });

    // The node key may take over a dispute in progress; then the former solver is told so.
    await take(operator, disputeId);
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.solver_pubkey, h.t.node.pubkey);
    await assigned.send({ action: 'admin-settle', id: trade.id });
    assert.deepEqual((await assigned.waitFor('cant-do')).message.kind.payload, { cant_do: 'dispute_taken_by_admin' });

    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'dispute');
    assert.equal(must(h.net.getInvoice(trade.hash)).state, 'accepted', 'no refusal moved any money');
    await operator.send({ action: 'admin-settle', id: trade.id });
    await operator.waitFor('admin-settled');
  });

  it('the seller releases during a dispute: the dispute closes as released (0.20) and the buyer is paid', async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade);
    await trade.seller.user.send(trade.seller.index, { action: 'release', id: trade.id });
    await trade.buyer.user.waitFor('purchase-completed');
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'released');
    await eventually(async () => {
      const [event] = await queryRelay(h.t.node.relays, { kinds: [38386], '#d': [disputeId] });
      return event && tag(event, 's')?.[1] === 'released' ? true : undefined;
    });
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE);

    // A closed dispute cannot be taken.
    const s = await solver();
    await s.send({ action: 'admin-take-dispute', id: disputeId });
    assert.deepEqual((await s.waitFor('cant-do')).message.kind.payload, { cant_do: 'invalid_dispute_status' });
  });

  it('a cooperative cancel during a dispute closes it as cooperatively-canceled and tells its solver; a later solver decision gets cooperative-cancel-accepted', async () => {
    const trade = await newTrade();
    const disputeId = await openDispute(trade);
    const s = await solver();
    await take(s, disputeId);
    await trade.buyer.user.send(trade.buyer.index, { action: 'cancel', id: trade.id });
    await trade.buyer.user.waitFor('cooperative-cancel-initiated-by-you');
    await trade.seller.user.send(trade.seller.index, { action: 'cancel', id: trade.id });
    await trade.seller.user.waitFor('cooperative-cancel-accepted');
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'cooperatively-canceled');
    assert.equal(getDispute(h.t.node.ctx.db, disputeId)!.status, 'cooperatively-canceled');
    const told = await s.waitFor('cooperative-cancel-accepted');
    assert.equal(told.message.kind.id, trade.id);
    assert.deepEqual(told.message.kind.payload, { dispute: [disputeId, null] });
    await eventually(() => (must(h.net.getInvoice(trade.hash)).state === 'canceled' ? true : undefined));
    assert.equal(balanceSats(h.net, trade.seller.wallet), FUNDS);

    await s.send({ action: 'admin-settle', id: trade.id });
    await s.waitFor('cooperative-cancel-accepted');
    assert.equal(getOrder(h.t.node.ctx.db, trade.id)!.status, 'cooperatively-canceled');
  });
});
