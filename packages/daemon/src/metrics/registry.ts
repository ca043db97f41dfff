// The node's Prometheus metrics (prom-client), one registry per node so that several nodes in one
// process (tests) never mix their figures. Names are the contract with dashboards and with other
// parts of the node: the outbox sets `mostro_outbox_backlog` and counts `mostro_outbox_retries_total`.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    intakeEvents: new Counter({
      name: 'mostro_intake_events_total',
      help: 'Inbound events by outcome: handled, cant-do, dropped (with its reason) or shed (with its lane)',
      labelNames: ['outcome', 'reason'] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'mostro_intake_queue_depth',
      help: 'Events waiting to be handled, by lane (known keys, first contacts)',
      labelNames: ['lane'] as const,
      registers,
    }),
    queueWait: new Histogram({
      name: 'mostro_intake_queue_wait_seconds',
      help: 'Time from arrival to the start of handling, by lane',
      labelNames: ['lane'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    handlerDuration: new Histogram({
      name: 'mostro_handler_duration_seconds',
      help: 'Time to run the intake and the handler of one event, by action',
      labelNames: ['action'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    powFirstContact: new Gauge({
      name: 'mostro_intake_pow_first_contact',
      help: 'Proof of work currently demanded of first-contact events (bits)',
      registers,
    }),
    outboxBacklog: new Gauge({
      name: 'mostro_outbox_backlog',
      help: 'Messages of the node not yet acknowledged by any relay',
      registers,
    }),
    outboxRetries: new Counter({
      name: 'mostro_outbox_retries_total',
      help: 'Publication attempts of the outbox after the first',
      registers,
    }),
    relayConnections: new Gauge({
      name: 'mostro_relay_connections',
      help: 'Relays of the pool by connection status',
      labelNames: ['status'] as const,
      registers,
    }),
    orders: new Gauge({
      name: 'mostro_orders',
      help: 'Orders by status',
      labelNames: ['status'] as const,
      registers,
    }),
    escrow: new Gauge({
      name: 'mostro_escrow_orders',
      help: 'Orders by escrow state: hold invoice and buyer payout',
      labelNames: ['kind', 'state'] as const,
      registers,
    }),
    escrowSats: new Gauge({
      name: 'mostro_escrow_sats',
      help: 'Sats of open trades: held (hold invoices accepted) and paying_out (settled, the buyer not paid yet)',
      labelNames: ['state'] as const,
      registers,
    }),
    lightningDuration: new Histogram({
      name: 'mostro_lightning_call_duration_seconds',
      help: 'Latency of Lightning backend calls, by method',
      labelNames: ['method'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    lightningErrors: new Counter({
      name: 'mostro_lightning_call_errors_total',
      help: 'Lightning backend calls that failed, by method',
      labelNames: ['method'] as const,
      registers,
    }),
    malformed: new Counter({
      name: 'mostro_malformed_input_total',
      help: 'Malformed input by reason (also logged, at most one line per reason per interval)',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
