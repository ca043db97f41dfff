// What the node publishes about itself at start: info (38385) advertising the preferred transport
// and limits, its relay list (10002), its rates (30078) and its profile (0) when configured.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseInfoEvent, parseRatesEvent, parseRelayListEvent } from '@mostro/protocol';
import { eventually, queryRelay } from '../support/relay-query.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';

describe('node: publication', () => {
  let t: TestNode;
  before(async () => {
    t = await startTestNode({
      settings: { 'mostro.transport': 'gift-wrap', 'mostro.name': 'Test Node', 'mostro.pow': 3, 'mostro.fee': 0.01 },
    });
  });
  after(() => t.stop());

  const one = (kind: number) =>
    eventually(async () => {
      const events = await queryRelay(t.node.relays, { kinds: [kind], authors: [t.node.pubkey] });
      return events[0];
    });

  it('advertises the preferred transport, limits, fee and PoW in its info event', async () => {
    const info = parseInfoEvent(await one(38385));
    assert.equal(info.mostro_pubkey, t.node.pubkey);
    assert.equal(info.protocol_version, 1);
    assert.equal(info.transport, 'gift-wrap');
    assert.equal(info.fee, 0.01);
    assert.equal(info.pow, 3);
    assert.equal(info.max_order_amount, t.settings.mostro.max_order_amount);
    assert.equal(info.min_order_amount, t.settings.mostro.min_payment_amount);
    assert.deepEqual(info.lnd_networks, ['regtest']);
  });

  it('publishes its relay list, its rates and its profile', async () => {
    const relays = parseRelayListEvent(await one(10002));
    assert.deepEqual(
      relays.map((r) => r.url),
      t.node.relays,
    );
    const rates = parseRatesEvent(await one(30078));
    assert.equal(rates.rates.USD, 100_000);
    const profile = await one(0);
    assert.equal(JSON.parse(profile.content).name, 'Test Node');
  });
});
