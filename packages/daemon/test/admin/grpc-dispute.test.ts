// The admin gRPC on the money path: the operator takes a dispute and settles (the buyer is paid)
// or cancels (the seller is refunded) through the same handlers a solver's message reaches; a
// `pretrade_only` cancel never touches a trade whose sats are in escrow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getDisputeByOrder } from '../../src/db/disputes.ts';
import { getOrder } from '../../src/db/orders.ts';
import {
  type ActiveTrade,
  AMOUNT,
  activeTrade,
  balanceSats,
  FEE,
  FUNDS,
  type Harness,
  must,
  startHarness,
} from '../disputes/support.ts';
import { eventually } from '../support/relay-query.ts';
import { adminClient, type Client, call } from './support.ts';

const TOKEN = 'dispute-admin-token-0123456789';

describe('admin gRPC: disputes decided by the operator', () => {
  let h: Harness;
  let client: Client;

  before(async () => {
    h = await startHarness({ settings: { 'rpc.enabled': true, 'rpc.port': 0, 'rpc.auth_token': TOKEN } });
    client = adminClient(h.t.node.admin.grpc!.port);
  });
  after(async () => {
    client?.close();
    await h?.close();
  });

  const disputedTrade = async (): Promise<{ trade: ActiveTrade; disputeId: string }> => {
    const trade = await activeTrade(h, await h.user(), await h.user());
    await trade.buyer.user.send(trade.buyer.index, { action: 'dispute', id: trade.id });
    await trade.buyer.user.waitFor('dispute-initiated-by-you');
    const dispute = getDisputeByOrder(h.t.node.ctx.db, trade.id);
    assert.ok(dispute);
    return { trade, disputeId: dispute.id };
  };
  const statusOf = (id: string) => getOrder(h.t.node.ctx.db, id)?.status;

  it('pretrade_only refuses an order in dispute: nothing changes, the sats stay in escrow', async () => {
    const { trade } = await disputedTrade();
    const r = await call(client, 'CancelOrder', { order_id: trade.id, pretrade_only: true }, TOKEN);
    assert.deepEqual(r, { success: false, error_message: `order ${trade.id} is dispute, not pre-trade` });
    assert.equal(statusOf(trade.id), 'dispute');
    assert.equal(must(h.net.getInvoice(trade.hash)).state, 'accepted');
  });

  it('TakeDispute then SettleOrder: the buyer is paid amount − fee, the dispute settled', async () => {
    const { trade, disputeId } = await disputedTrade();
    assert.deepEqual(await call(client, 'TakeDispute', { dispute_id: disputeId }, TOKEN), { success: true });
    assert.equal(getDisputeByOrder(h.t.node.ctx.db, trade.id)?.solver_pubkey, h.t.node.pubkey);
    assert.deepEqual(await call(client, 'SettleOrder', { order_id: trade.id, request_id: '9' }, TOKEN), {
      success: true,
    });
    await trade.buyer.user.waitFor('admin-settled', 15_000);
    await eventually(() => (statusOf(trade.id) === 'success' ? true : undefined), 15_000);
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE);
    assert.equal(getDisputeByOrder(h.t.node.ctx.db, trade.id)?.status, 'settled');
    // Settling again is refused by the handler: no second payout.
    const again = await call(client, 'SettleOrder', { order_id: trade.id }, TOKEN);
    assert.equal(again.success, false);
    assert.equal(balanceSats(h.net, trade.buyer.wallet), AMOUNT - FEE);
  });

  it('TakeDispute then CancelOrder: the hold is canceled, the seller keeps the sats', async () => {
    const { trade, disputeId } = await disputedTrade();
    assert.equal((await call(client, 'TakeDispute', { dispute_id: disputeId }, TOKEN)).success, true);
    assert.deepEqual(await call(client, 'CancelOrder', { order_id: trade.id }, TOKEN), { success: true });
    await trade.seller.user.waitFor('admin-canceled', 15_000);
    assert.equal(statusOf(trade.id), 'canceled-by-admin');
    await eventually(() => (must(h.net.getInvoice(trade.hash)).state === 'canceled' ? true : undefined), 15_000);
    assert.equal(balanceSats(h.net, trade.seller.wallet), FUNDS);
    assert.equal(balanceSats(h.net, trade.buyer.wallet), 0);
  });
});
