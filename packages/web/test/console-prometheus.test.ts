// The operator console's Prometheus reader: the node's own exposition text (prom-client) and
// awkward-but-legal lines, and the health figures computed from two scrapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byLabel, nodeFigures, parsePrometheus, total } from '../src/console/prometheus.ts';

const SCRAPE_1 = `# HELP mostro_intake_events_total Inbound events by outcome
# TYPE mostro_intake_events_total counter
mostro_intake_events_total{outcome="handled",reason=""} 10
mostro_intake_events_total{outcome="dropped",reason="stale"} 4
mostro_intake_events_total{outcome="shed",reason="first-contact"} 0
# TYPE mostro_relay_connections gauge
mostro_relay_connections{status="connected"} 2
mostro_relay_connections{status="disconnected"} 1
mostro_orders{status="pending"} 3
mostro_orders{status="active"} 1
mostro_orders{status="dispute"} 2
mostro_orders{status="success"} 40
mostro_escrow_orders{kind="hold",state="accepted"} 3
mostro_escrow_orders{kind="payout",state="in-flight"} 1
mostro_outbox_backlog 5
mostro_escrow_sats{state="held"} 60180
mostro_escrow_sats{state="paying_out"} 19900
mostro_lightning_call_errors_total{method="settleHoldInvoice"} 2
mostro_intake_queue_wait_seconds_bucket{lane="known",le="+Inf"} 7
`;

const SCRAPE_2 = SCRAPE_1.replace('outcome="handled",reason=""} 10', 'outcome="handled",reason=""} 40').replace(
  'reason="stale"} 4',
  'reason="stale"} 14',
);

describe('console: Prometheus text', () => {
  it('reads samples with and without labels, skipping comments', () => {
    const s = parsePrometheus(SCRAPE_1);
    assert.equal(total(s, 'mostro_outbox_backlog'), 5);
    assert.equal(total(s, 'mostro_relay_connections', { status: 'connected' }), 2);
    assert.deepEqual(byLabel(s, 'mostro_orders', 'status'), { pending: 3, active: 1, dispute: 2, success: 40 });
    assert.equal(total(s, 'mostro_intake_queue_wait_seconds_bucket', { le: '+Inf' }), 7);
    assert.ok(!s.some((x) => x.name.startsWith('#')));
  });

  it('reads escaped label values, timestamps, exponents and special values', () => {
    const s = parsePrometheus(
      [
        'a{path="C:\\\\dir",msg="say \\"hi\\"\\nbye"} 1.5e3 1700000000000',
        'b +Inf',
        'c{x="1",} NaN',
        'd{x="1" , y="2"} -2',
      ].join('\n'),
    );
    assert.deepEqual(s[0], { name: 'a', labels: { path: 'C:\\dir', msg: 'say "hi"\nbye' }, value: 1500 });
    assert.equal(s[1]?.value, Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(s[2]?.value));
    assert.deepEqual(s[3]?.labels, { x: '1', y: '2' });
  });

  it('never throws on garbage: bad lines are skipped, good ones kept', () => {
    const s = parsePrometheus('}{ 1\nfoo{bar="x} 2\nfoo{=1} 3\nok 4\nfoo notanumber\n\u0000\nzz{a="b"}');
    assert.deepEqual(s, [{ name: 'ok', labels: {}, value: 4 }]);
    assert.deepEqual(parsePrometheus(''), []);
  });

  it('computes the health figures and rates between two scrapes', () => {
    const first = nodeFigures(parsePrometheus(SCRAPE_1), null, 0);
    assert.equal(first.intakePerSecond, null, 'no rate from one scrape');
    assert.equal(first.relaysConnected, 2);
    assert.equal(first.relaysTotal, 3);
    assert.deepEqual(first.openTrades, { active: 1, dispute: 2 });
    assert.equal(first.pendingOrders, 3);
    assert.deepEqual(first.holds, { accepted: 3 });
    assert.deepEqual(first.payouts, { 'in-flight': 1 });
    assert.deepEqual(first.drops, { stale: 4 });
    assert.equal(first.heldSats, 60_180);
    assert.equal(first.payingOutSats, 19_900);
    assert.deepEqual(first.lightningErrors, { settleHoldInvoice: 2 });
    const second = nodeFigures(parsePrometheus(SCRAPE_2), parsePrometheus(SCRAPE_1), 10);
    assert.equal(second.intakePerSecond?.handled, 3);
    assert.equal(second.intakePerSecond?.dropped, 1);
  });

  it('a counter that went down (node restarted) counts from zero, never negative', () => {
    const after = nodeFigures(parsePrometheus(SCRAPE_1), parsePrometheus(SCRAPE_2), 5);
    assert.equal(after.intakePerSecond?.handled, 2);
  });
});
