// mostro-core 0.17.3 / mostrod 0.20.2 additions (reference-0.20.md §1, §4.3–§4.6, §8 items 5–13):
// the exact JSON of the spec, canonical bytes, strict parsing and the verify rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTIONS,
  CANT_DO_REASONS,
  DISPUTE_STATUSES,
  type Message,
  newMessage,
  ProtocolError,
  parseMessage,
  serializeMessage,
  verifyMessage,
  verifyMessageKind,
  wrapperForAction,
} from '../../src/index.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const HASH = 'ee06af92c95429e7cb0cf8428636199a71a01e32bab7a8526d226161f0de9903';
const KEY = 'aabbccdd11223344aabbccdd11223344aabbccdd11223344aabbccdd11223344';

function roundTrip(input: string, canonical = input): Message {
  const m = parseMessage(input);
  assert.equal(serializeMessage(m), canonical);
  assert.equal(serializeMessage(parseMessage(canonical)), canonical);
  return m;
}

const order = (action: string, payload: string, id: string | null = ID, requestId = 'null') =>
  `{"order":{"version":2,"request_id":${requestId},"trade_index":null,${id ? `"id":"${id}",` : ''}"action":"${action}","payload":${payload}}}`;

describe('0.20 enums (§1.2, §1.5, §1.6)', () => {
  it('the eight new actions, user-info between last-trade-index and orders', () => {
    for (const a of [
      'user-info',
      'declare-payer',
      'payer-declared',
      'payment-history',
      'export-reputation',
      'reputation-exported',
      'import-reputation',
      'reputation-imported',
    ]) {
      assert.ok((ACTIONS as readonly string[]).includes(a), a);
    }
    assert.equal(ACTIONS.indexOf('user-info'), ACTIONS.indexOf('last-trade-index') + 1);
    assert.equal(ACTIONS.indexOf('orders'), ACTIONS.indexOf('user-info') + 1);
  });

  it('48 cant-do reasons with the new spellings; unknown ones read as `unknown`', () => {
    assert.equal(CANT_DO_REASONS.length, 48);
    for (const r of [
      'maintenance_mode',
      'unknown',
      'invalid_payment_hash',
      'payer_not_declared',
      'reputation_identity_required',
      'not_eligible_for_reputation_export',
      'reputation_bound_to_other_identity',
      'invalid_reputation_rebind',
      'invalid_reputation_attestation',
      'untrusted_reputation_issuer',
      'expired_reputation_attestation',
      'reputation_identity_mismatch',
      'reputation_already_imported',
    ]) {
      assert.ok((CANT_DO_REASONS as readonly string[]).includes(r), r);
    }
    const m = parseMessage(
      '{"cant-do":{"version":2,"request_id":1,"trade_index":null,"action":"cant-do","payload":{"cant_do":"some_future_reason"}}}',
    );
    assert.deepEqual(m.kind.payload, { cant_do: 'unknown' });
  });

  it('dispute status cooperatively-canceled (restore data carries it)', () => {
    assert.deepEqual(DISPUTE_STATUSES, [
      'initiated',
      'in-progress',
      'seller-refunded',
      'settled',
      'released',
      'cooperatively-canceled',
    ]);
    const reply = `{"restore":{"version":2,"request_id":null,"trade_index":null,"action":"restore-session","payload":{"restore_data":{"orders":[],"disputes":[{"dispute_id":"${ID}","order_id":"${ID}","trade_index":1,"status":"cooperatively-canceled","initiator":"buyer","solver_pubkey":null}]}}}}`;
    roundTrip(reply);
  });
});

describe('user-info (§4.3)', () => {
  const request =
    '{"restore":{"version":2,"request_id":123456,"trade_index":null,"action":"user-info","payload":null}}';
  const reply =
    '{"restore":{"version":2,"request_id":123456,"trade_index":null,"action":"user-info","payload":{"user_info":{"rating":4.8,"reviews":23,"operating_days":142,"since":1700784000}}}}';

  it('request and reply of the spec, byte for byte; both pass verify in restore', () => {
    const req = roundTrip(request);
    assert.equal(req.kind.request_id, 123456n);
    assert.ok(verifyMessage(req));
    const rep = roundTrip(reply);
    assert.deepEqual(rep.kind.payload, {
      user_info: { rating: 4.8, reviews: 23, operating_days: 142, since: 1700784000 },
    });
    assert.ok(verifyMessage(rep));
    assert.equal(wrapperForAction('user-info'), 'restore');
  });

  it('unknown identity: zeros and no since; rating keeps its point', () => {
    const zeros =
      '{"restore":{"version":2,"request_id":1,"trade_index":null,"action":"user-info","payload":{"user_info":{"rating":0.0,"reviews":0,"operating_days":0}}}}';
    roundTrip(zeros);
    const built = newMessage('restore', {
      action: 'user-info',
      request_id: 1,
      payload: { user_info: { rating: 0, reviews: 0, operating_days: 0 } },
    });
    assert.equal(serializeMessage(built), zeros);
  });

  it('since is written truncated to its UTC day start, however it was set', () => {
    const built = newMessage('restore', {
      action: 'user-info',
      payload: { user_info: { rating: 5, reviews: 1, operating_days: 0, since: 1700784000 + 86_399 } },
    });
    assert.ok(serializeMessage(built).includes('"since":1700784000}'));
    // On a peer too (pay-invoice / add-invoice reputation).
    const peer = newMessage('order', {
      action: 'add-invoice',
      id: ID,
      payload: { peer: { pubkey: KEY, reputation: { rating: 4, reviews: 2, operating_days: 3, since: 1700784001 } } },
    });
    assert.ok(serializeMessage(peer).endsWith('"operating_days":3,"since":1700784000}}}}}'));
  });

  it('verify: no id allowed, payload null or user_info only; outside restore Message::verify fails', () => {
    assert.equal(verifyMessage(parseMessage(request.replace('"action"', `"id":"${ID}","action"`))), false);
    assert.equal(
      verifyMessage(parseMessage(request.replace('"payload":null', '"payload":{"text_message":"x"}'))),
      false,
    );
    const inOrder = parseMessage(request.replace('{"restore":', '{"order":'));
    assert.ok(verifyMessageKind(inOrder.kind));
    assert.equal(verifyMessage(inOrder), false);
  });
});

describe('payer declaration and payment history (§1.3, §4.5)', () => {
  const declare = order('declare-payer', `{"payer_declaration":{"payment_hash":"${HASH}"}}`, ID, '7');

  it('declare-payer and payer-declared: id required, payload exactly payer_declaration', () => {
    const m = roundTrip(declare);
    assert.ok(verifyMessage(m));
    assert.ok(verifyMessage(roundTrip(declare.replace('declare-payer', 'payer-declared'))));
    assert.equal(
      verifyMessage(parseMessage(order('declare-payer', `{"payer_declaration":{"payment_hash":"${HASH}"}}`, null))),
      false,
    );
    assert.equal(verifyMessage(parseMessage(order('declare-payer', 'null'))), false);
    assert.equal(verifyMessage(parseMessage(order('declare-payer', '{"text_message":"x"}'))), false);
  });

  it('payer_declaration is a struct: serde accepts any string, needs the key, ignores extras', () => {
    assert.ok(parseMessage(order('declare-payer', '{"payer_declaration":{"payment_hash":"ABC"}}')));
    assert.throws(
      () => parseMessage(order('declare-payer', '{"payer_declaration":{}}')),
      (e: unknown) => e instanceof ProtocolError && e.code === 'missing_field',
    );
    roundTrip(
      order('declare-payer', `{"payer_declaration":{"payment_hash":"${HASH}","extra":1}}`),
      order('declare-payer', `{"payer_declaration":{"payment_hash":"${HASH}"}}`),
    );
  });

  const history = `{"payment_history":{"payment_hash":"${HASH}","buyer_mode":"reputation","successful_trades":47,"distinct_counterparties":29,"experienced_counterparties":11,"first_success_at":1762128000,"last_success_at":1787654321}}`;

  it('payment-history: query with null, answer with payment_history; the spec example', () => {
    assert.ok(verifyMessage(roundTrip(order('payment-history', 'null'))));
    const m = roundTrip(order('payment-history', history));
    assert.ok(verifyMessage(m));
    assert.equal(verifyMessage(parseMessage(order('payment-history', history, null))), false);
  });

  it('payment_history: null success times, unknown keys ignored, unknown buyer_mode → unknown, u32 counters', () => {
    const none = `{"payment_history":{"payment_hash":"${HASH}","buyer_mode":"full_privacy","successful_trades":0,"distinct_counterparties":0,"experienced_counterparties":0,"first_success_at":null,"last_success_at":null}}`;
    roundTrip(order('payment-history', none));
    const odd = parseMessage(
      order(
        'payment-history',
        history.replace('"reputation"', '"stealth"').replace('{"payment_hash"', '{"new":true,"payment_hash"'),
      ),
    );
    const p = odd.kind.payload as { payment_history: { buyer_mode: string } };
    assert.equal(p.payment_history.buyer_mode, 'unknown');
    assert.throws(
      () => parseMessage(order('payment-history', history.replace('47', '4294967296'))),
      (e: unknown) => e instanceof ProtocolError && e.code === 'out_of_range',
    );
  });

  it('the generic arm refuses payer, history and user_info payloads (e.g. on fiat-sent)', () => {
    for (const payload of [
      `{"payer_declaration":{"payment_hash":"${HASH}"}}`,
      history,
      '{"user_info":{"rating":1.0,"reviews":1,"operating_days":1}}',
      '{"bond_resolution":{"slash_seller":false,"slash_buyer":false}}',
    ]) {
      assert.equal(verifyMessage(parseMessage(order('fiat-sent', payload))), false, payload);
    }
    assert.ok(verifyMessage(parseMessage(order('fiat-sent', 'null'))));
  });
});

describe('reputation export / import messages (§1.2, §1.3, §4.4)', () => {
  it('export-reputation: no id, reputation_export_request; rebind defaults to null and is emitted', () => {
    const input = order('export-reputation', `{"reputation_export_request":{"destination":"${KEY}"}}`, null, '9');
    const canonical = order(
      'export-reputation',
      `{"reputation_export_request":{"destination":"${KEY}","rebind":null}}`,
      null,
      '9',
    );
    assert.ok(verifyMessage(roundTrip(input, canonical)));
    const withRebind = order(
      'export-reputation',
      `{"reputation_export_request":{"destination":"${KEY}","rebind":"{\\"kind\\":38388}"}}`,
      null,
    );
    assert.ok(verifyMessage(roundTrip(withRebind)));
    assert.equal(verifyMessage(parseMessage(canonical.replace('"action"', `"id":"${ID}","action"`))), false);
  });

  it('reputation-exported / import-reputation carry the event JSON as a string; reputation-imported is null', () => {
    const attestation = JSON.stringify(JSON.stringify({ kind: 38388, tags: [['p', KEY]] }));
    for (const action of ['reputation-exported', 'import-reputation']) {
      const m = roundTrip(order(action, `{"reputation_attestation":${attestation}}`, null));
      assert.ok(verifyMessage(m), action);
      assert.equal(verifyMessage(parseMessage(order(action, 'null', null))), false);
      assert.equal(verifyMessage(parseMessage(order(action, `{"reputation_attestation":${attestation}}`))), false);
    }
    assert.ok(verifyMessage(roundTrip(order('reputation-imported', 'null', null))));
    assert.equal(verifyMessage(parseMessage(order('reputation-imported', '{"text_message":"x"}', null))), false);
    assert.throws(
      () => parseMessage(order('import-reputation', '{"reputation_attestation":{"kind":38388}}', null)),
      (e: unknown) => e instanceof ProtocolError && e.code === 'invalid_type',
    );
  });
});

describe('changed structs (§1.4)', () => {
  it('restore: counterparty_trade_pubkey always emitted, null while untaken, optional on input', () => {
    const reply = `{"restore":{"version":2,"request_id":null,"trade_index":null,"action":"restore-session","payload":{"restore_data":{"orders":[{"order_id":"${ID}","trade_index":1,"status":"active","counterparty_trade_pubkey":"${KEY}"},{"order_id":"${ID}","trade_index":2,"status":"pending","counterparty_trade_pubkey":null}],"disputes":[]}}}}`;
    roundTrip(reply);
    roundTrip(reply.replace(',"counterparty_trade_pubkey":null', ''), reply);
  });

  it('SmallOrder: optional trailing cashu_mint_url, still deny_unknown_fields', () => {
    const small = (extra: string) =>
      `{"order":{"version":2,"request_id":null,"trade_index":1,"action":"new-order","payload":{"order":{"kind":"sell","status":"pending","amount":0,"fiat_code":"USD","min_amount":null,"max_amount":null,"fiat_amount":10,"payment_method":"x","premium":0,"created_at":0,"expires_at":null${extra}}}}}`;
    const m = roundTrip(small(',"cashu_mint_url":"https://mint.example"'));
    assert.equal(
      (m.kind.payload as { order: { cashu_mint_url?: string } }).order.cashu_mint_url,
      'https://mint.example',
    );
    assert.ok(!serializeMessage(parseMessage(small(''))).includes('cashu_mint_url'));
    assert.throws(
      () => parseMessage(small(',"cashu_mint_urls":"x"')),
      (e: unknown) => e instanceof ProtocolError && e.code === 'unknown_field',
    );
  });
});
