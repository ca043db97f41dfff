// The operator's endpoints on a real node: /metrics in Prometheus text with the intake outcomes,
// orders, relay connections and Lightning calls; /healthz 200 with every check, 503 when one fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signEvent } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { generateSecretKey } from 'nostr-tools/pure';
import { health } from '../../src/metrics/server.ts';
import { startTestNode, type TestNode } from '../support/test-node.ts';
import { TestUser } from '../support/test-user.ts';

describe('node: metrics and health', () => {
  let t: TestNode;
  let user: TestUser;

  before(async () => {
    t = await startTestNode({ settings: { 'metrics.enabled': true } });
    user = new TestUser({ relays: t.node.relays, nodePubkey: t.node.pubkey });
    await user.listen();
  });
  after(async () => {
    user.close();
    await t.stop();
  });

  it('serves metrics on loopback with what the node did', async () => {
    assert.match(t.node.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const { index } = user.next();
    const payload = {
      order: {
        kind: 'sell' as const,
        status: 'pending' as const,
        amount: 10_000,
        fiat_code: 'USD',
        min_amount: null,
        max_amount: null,
        fiat_amount: 10,
        payment_method: 'cash',
        premium: 0,
        created_at: 0,
        expires_at: null,
      },
    };
    await user.send(index, { action: 'new-order', trade_index: index, payload });
    await user.waitFor('new-order');
    const junk = signEvent(
      { kind: 14, tags: [['p', t.node.pubkey]], content: 'junk', created_at: Math.floor(Date.now() / 1000) },
      generateSecretKey(),
    );
    await user.publish(junk as NostrEvent);
    await t.node.idle();
    await new Promise((r) => setTimeout(r, 300));
    await t.node.idle();

    const response = await fetch(`${t.node.metricsUrl}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /mostro_intake_events_total\{outcome="handled",reason=""\} 1/);
    assert.match(text, /mostro_intake_events_total\{outcome="dropped",reason="not_for_us"\} 1/);
    assert.match(text, /mostro_orders\{status="pending"\} 1/);
    assert.match(text, /mostro_relay_connections\{status="connected"\} 1/);
    assert.match(text, /mostro_lightning_call_duration_seconds_count\{method="getInfo"\} [1-9]/);
    assert.match(text, /mostro_intake_queue_wait_seconds_bucket\{le="[^"]+",lane="first-contact"\}/);
    assert.match(text, /mostro_handler_duration_seconds_count/);
    assert.match(text, /mostro_outbox_backlog \d/);
    assert.match(text, /mostro_escrow_sats\{state="held"\} 0/);
    assert.match(text, /mostro_escrow_sats\{state="paying_out"\} 0/);
    assert.match(text, /mostro_outbox_retries_total \d/);
    assert.match(text, /mostro_intake_pow_first_contact 0/);
  });

  it('shows the outbox backlog and its retries while a message is not acknowledged', async () => {
    const scrape = async (name: string) => {
      const text = await (await fetch(`${t.node.metricsUrl}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    await t.node.idle();
    assert.equal(await scrape('mostro_outbox_backlog'), 0, 'everything so far was acknowledged');
    const retriesBefore = await scrape('mostro_outbox_retries_total');
    // A signature no relay accepts: the row stays in the outbox and is retried.
    const event = signEvent(
      { kind: 1, tags: [], content: 'never acknowledged', created_at: Math.floor(Date.now() / 1000) },
      generateSecretKey(),
    ) as NostrEvent;
    t.node.ctx.outbox.event({ ...event, sig: '00'.repeat(64) });
    await t.node.idle();
    assert.equal(await scrape('mostro_outbox_backlog'), 1);
    assert.ok((await scrape('mostro_outbox_retries_total')) > retriesBefore);
  });

  it('answers /healthz with each check', async () => {
    const response = await fetch(`${t.node.metricsUrl}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    assert.equal(body.status, 'ok');
    assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'lightning', 'relays']);
    assert.ok(Object.values(body.checks).every((c) => c.ok));
    assert.equal((await fetch(`${t.node.metricsUrl}/nothing`)).status, 404);
  });

  it('is unhealthy when one check fails, throws or hangs', async () => {
    const h = await health({
      database: async () => ({ ok: true }),
      lightning: async () => {
        throw new Error('lnd unreachable');
      },
    });
    assert.equal(h.ok, false);
    assert.deepEqual(h.checks.lightning, { ok: false, detail: 'lnd unreachable' });
  });
});
