// Interop (a): every event the REAL mostrod 0.20.2 publishes parses with our protocol package, and
// our builders, fed the values read back, produce the same tags in the same order. The node runs
// on the regtest network's `node` lnd (scripts/reference/mostrod.mjs) and publishes to our embedded
// relay; a scripted user (our protocol package) makes and cancels an order so 38383 revisions exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildHealthEvent,
  buildInfoEvent,
  buildOrderEvent,
  parseHealthEvent,
  parseInfoEvent,
  parseOrderEvent,
  parseRelayListEvent,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { type EmbeddedRelay, startEmbeddedRelay } from '../../packages/daemon/src/relay/index.ts';
import { eventually, queryRelay } from '../../packages/daemon/test/support/relay-query.ts';
import { TestUser } from '../../packages/daemon/test/support/test-user.ts';
import { infoInputFrom } from '../../packages/protocol/test/events/from-parsed.ts';
import { haveReference } from '../../scripts/reference/build.mjs';
import { regtestLnd, startReferenceMostrod } from '../../scripts/reference/mostrod.mjs';

const ready = process.env.MOSTRO_REGTEST === '1' && haveReference('mostrod');
const names = (e: { tags: string[][] }) => e.tags.map((t) => t[0]);

describe('real mostrod 0.20.2 events through our protocol package', {
  skip: !ready && 'needs the interop group (regtest + reference build)',
  timeout: 180_000,
}, () => {
  let relay: EmbeddedRelay;
  let node: Awaited<ReturnType<typeof startReferenceMostrod>>;
  const query = (filter: Parameters<typeof queryRelay>[1]) => queryRelay([relay.url], filter);
  const newest = async (filter: Parameters<typeof queryRelay>[1], timeoutMs = 60_000): Promise<NostrEvent> =>
    eventually(async () => (await query(filter)).sort((a, b) => b.created_at - a.created_at)[0], timeoutMs);

  before(async () => {
    relay = await startEmbeddedRelay();
    node = await startReferenceMostrod({ relays: [relay.url], lnd: regtestLnd('node') });
  });
  after(async () => {
    if (node && process.env.MOSTRO_INTEROP_VERBOSE) console.error(node.output());
    await node?.close();
    await relay?.close();
  });

  it('38385 info: parses as a 0.20 Lightning node; our builder gives the same tags in the same order', async () => {
    const event = await newest({ kinds: [38385], authors: [node.pubkey] });
    const info = parseInfoEvent(event);
    assert.equal(info.mostro_version, '0.20.2');
    assert.equal(info.protocol_version, 2);
    assert.equal(info.escrow_mode, 'lightning');
    assert.equal(info.maintenance_mode, false);
    assert.equal(info.invoice_expiration_window, 3600, 'the real buyer-invoice window since 0.20');
    const ours = buildInfoEvent(infoInputFrom(info, event.created_at));
    assert.deepEqual(ours.tags, event.tags);
  });

  it('38389 health: parses (Lightning checks, LND tags); our builder gives the same tags, values and order', async () => {
    const event = await newest({ kinds: [38389], authors: [node.pubkey] }, 90_000);
    const h = parseHealthEvent(event);
    assert.equal(h.node, node.pubkey);
    assert.equal(h.escrow_mode, 'lightning');
    assert.equal(h.mostro_version, '0.20.2');
    assert.equal(h.lnd_network, 'regtest');
    assert.equal(h.maintenance_mode, false);
    assert.deepEqual(
      h.checks.map((c) => c.name),
      ['lnd_sync', 'payouts', 'relays', 'database'],
    );
    assert.ok(h.status !== null && h.interval !== null && h.seq !== null && h.lnd_block_height !== null);
    const ours = buildHealthEvent({
      nodePubkey: h.node,
      instanceName: event.tags.find((t) => t[0] === 'y')?.[2] ?? null,
      checks: h.checks,
      escrowMode: 'lightning',
      lnd: { blockHeight: h.lnd_block_height, syncedToChain: h.lnd_synced_to_chain === true, network: 'regtest' },
      maintenance: false,
      version: '0.20.2',
      interval: h.interval,
      seq: h.seq,
      content: event.content,
      now: event.created_at,
    });
    assert.deepEqual(ours.tags, event.tags);
  });

  it('10002 relay list parses', async () => {
    const event = await newest({ kinds: [10002], authors: [node.pubkey] }, 90_000);
    assert.ok(parseRelayListEvent(event).length > 0);
  });

  it('38383 order: pending and canceled revisions parse; published_at stays; same tag order as ours', async () => {
    const maker = new TestUser({ relays: [relay.url], nodePubkey: node.pubkey });
    try {
      const key = maker.next();
      const order = {
        kind: 'sell' as const,
        status: 'pending' as const,
        amount: 10_000,
        fiat_code: 'USD',
        fiat_amount: 5,
        payment_method: 'cash',
        premium: 0,
        min_amount: null,
        max_amount: null,
        created_at: 0,
        expires_at: null,
      };
      await maker.send(key.index, { action: 'new-order', trade_index: key.index, payload: { order } });
      const ack = await maker.waitFor('new-order', 60_000);
      const id = ack.message.kind.id!;
      const pending = parseOrderEvent(await newest({ kinds: [38383], '#d': [id] }));
      assert.equal(pending.status, 'pending');
      assert.equal(pending.amount, 10_000);
      assert.ok(pending.published_at && pending.published_at > 0);

      await maker.send(key.index, { action: 'cancel', id });
      await maker.waitFor('canceled', 60_000);
      const canceledEvent = await eventually(async () => {
        const e = await newest({ kinds: [38383], '#d': [id] });
        return parseOrderEvent(e).status === 'canceled' ? e : undefined;
      }, 60_000);
      const canceled = parseOrderEvent(canceledEvent);
      assert.equal(canceled.published_at, pending.published_at, 'published_at is the same in every revision');
      const ours = buildOrderEvent({
        order: {
          id,
          kind: 'sell',
          status: 'canceled',
          amount: canceled.amount,
          fiat_code: canceled.fiat_code,
          fiat_amount: canceled.fiat_amount,
          min_amount: null,
          max_amount: null,
          payment_method: canceled.payment_method,
          premium: canceled.premium,
          created_at: canceled.published_at!,
          expires_at: canceled.expires_at!,
        },
        rating: null,
        mostroPubkey: node.pubkey,
        relays: [relay.url],
        networks: canceled.network ? [canceled.network] : null,
        instanceName: canceled.instance_name,
        now: canceledEvent.created_at,
      })!;
      assert.deepEqual(names(ours), names(canceledEvent));
    } finally {
      maker.close();
    }
  });
});
