// Fuzz: random values and mutated valid events fed to every event parser — only ProtocolError.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildDevFeeEvent,
  buildDisputeEvent,
  buildInfoEvent,
  buildOrderEvent,
  buildProfileEvent,
  buildRatesEvent,
  buildRatingEvent,
  buildRelayListEvent,
  latestByD,
  ProtocolError,
  parseDevFeeEvent,
  parseDisputeEvent,
  parseInfoEvent,
  parseOrderEvent,
  parseProfileEvent,
  parseRatesEvent,
  parseRatingEvent,
  parseRelayListEvent,
} from '../../src/index.ts';

const PARSERS = [
  parseOrderEvent,
  parseRatingEvent,
  parseInfoEvent,
  parseDisputeEvent,
  parseRatesEvent,
  parseDevFeeEvent,
  parseRelayListEvent,
  parseProfileEvent,
];

function feed(event: unknown): void {
  for (const parse of PARSERS) {
    try {
      parse(event);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
    }
  }
}

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const NOW = 1700000000;
const VALID = [
  buildOrderEvent({
    order: {
      id: ID,
      kind: 'sell',
      status: 'pending',
      amount: 0,
      fiat_code: 'VES',
      fiat_amount: 0,
      min_amount: 1,
      max_amount: 9,
      payment_method: 'a,b',
      premium: 1,
      created_at: NOW - 60,
      expires_at: NOW,
    },
    rating: null,
    mostroPubkey: 'aa',
    relays: ['wss://r'],
    networks: null,
    now: NOW,
  })!,
  buildRatingEvent({
    d: 'x',
    total_reviews: 1,
    total_rating: 2.5,
    last_rating: 5,
    max_rate: 5,
    min_rate: 5,
    days: 1,
    now: NOW,
  }),
  buildInfoEvent({
    mostroPubkey: 'aa',
    mostro_version: '1',
    mostro_commit_hash: 'c',
    max_order_amount: 1,
    min_order_amount: 1,
    expiration_hours: 1,
    expiration_seconds: 1,
    fiat_currencies_accepted: [],
    max_orders_per_response: 1,
    fee: 0.006,
    pow: 0,
    pow_first_contact: 0,
    protocol_version: 2,
    hold_invoice_expiration_window: 1,
    escrow_deadline_margin_blocks: 24,
    hold_invoice_cltv_delta: 1,
    invoice_expiration_window: 1,
    lnd_version: 'v',
    lnd_node_pubkey: 'p',
    lnd_commit_hash: 'h',
    lnd_node_alias: 'a',
    lnd_chains: ['bitcoin'],
    lnd_networks: ['regtest'],
    lnd_uris: [],
    bond: {
      amount_pct: 0.01,
      base_amount_sats: 1,
      apply_to: 'take',
      slash_on_waiting_timeout: false,
      slash_node_share_pct: 0.5,
      payout_claim_window_days: 1,
    },
    now: NOW,
  }),
  buildDisputeEvent({ disputeId: ID, status: 'initiated', initiator: 'buyer', openedAt: NOW, now: NOW }),
  buildRatesEvent({ rates: { USD: 1 }, publishedAt: NOW, source: 's', updateIntervalSeconds: 1, now: NOW }),
  buildDevFeeEvent({ orderId: ID, amount: 1, paymentHash: 'h', destination: 'd', networks: [], now: NOW }),
  buildRelayListEvent(['wss://r'], NOW),
  buildProfileEvent({ name: 'n' }, NOW)!,
];

const tagValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', '1.5', '-1', '1e3', 'NaN', '99999999999999999999', '{}', '["rating",{}]', 'true', 'both'),
);

describe('fuzz: event parsers raise only ProtocolError', () => {
  it('random values', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => feed(v)),
      { numRuns: 400 },
    );
  });

  it('random event-shaped objects', () => {
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom(0, 8383, 10002, 30078, 38383, 38384, 38385, 38386, 1),
          created_at: fc.oneof(fc.nat(), fc.double(), fc.string()),
          content: fc.oneof(fc.string(), fc.json(), fc.constant(null)),
          tags: fc.array(fc.array(tagValue, { maxLength: 4 }), { maxLength: 12 }),
          pubkey: fc.option(fc.string(), { nil: undefined }),
        }),
        (e) => {
          feed(e);
          latestByD([e as never]);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('mutations of valid events (drop, replace or add a tag value; change content)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.nat(),
        fc.nat(),
        tagValue,
        fc.constantFrom('drop-tag', 'set-value', 'add-value', 'content', 'kind'),
        (valid, i, j, value, op) => {
          const tags = valid.tags.map((t) => [...t]);
          const e = { ...valid, tags } as { kind: number; tags: string[][]; content: string; created_at: number };
          if (tags.length > 0) {
            const t = tags[i % tags.length]!;
            if (op === 'drop-tag') tags.splice(i % tags.length, 1);
            if (op === 'set-value') t[j % t.length] = value;
            if (op === 'add-value') t.push(value);
          }
          if (op === 'content') e.content = value;
          if (op === 'kind') e.kind = [0, 8383, 10002, 30078, 38383, 38384, 38385, 38386][j % 8]!;
          feed(e);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
