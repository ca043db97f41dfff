// Vectors of protocol.md §1.2/§1.8/§4 and clients.md V3 for canonical JSON and verify().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTIONS,
  CANT_DO_REASONS,
  getAmount,
  getPaymentRequest,
  type Message,
  newMessage,
  ORDER_STATUSES,
  ProtocolError,
  parseMessage,
  parsePayload,
  parseTransport,
  parseTupleV1,
  serializeMessage,
  TRANSPORT_KIND,
  TRANSPORT_VERSION,
  transportForProtocolVersion,
  verifyMessageKind,
  wrapperForAction,
} from '../../src/index.ts';

const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const BOLT11 =
  'lnbcrt78510n1pj59wmepp50677g8tffdqa2p8882y0x6newny5vtz0hjuyngdwv226nanv4uzsdqqcqzzsxqyz5vqsp5skn973360gp4yhlpmefwvul5hs58lkkl3u3ujvt57elmp4zugp4q9qyyssqw4nzlr72w28k4waycf27qvgzc9sp79sqlw83j56txltz4va44j7jda23ydcujj9y5k6k0rn5ms84w8wmcmcyk5g3mhpqepf7envhdccp72nz6e';

/** Parsing must succeed and re-serialize to exactly `canonical`. */
function roundTrip(input: string, canonical = input): Message {
  const m = parseMessage(input);
  assert.equal(serializeMessage(m), canonical);
  assert.equal(serializeMessage(parseMessage(canonical)), canonical);
  return m;
}

function rejects(input: string, code: ProtocolError['code'], path: string): void {
  assert.throws(
    () => parseMessage(input),
    (e: unknown) => e instanceof ProtocolError && e.code === code && e.path === path,
    `expected ${code} at ${path}`,
  );
}

describe('canonical JSON vectors (protocol.md §1.8, clients.md V3)', () => {
  it('test_order_message: sample parses, verifies and re-serializes canonically', () => {
    const sample = `{"order":{"version":2,"id":"${ID}","request_id":1,"trade_index":2,"action":"new-order","payload":{"order":{"id":"${ID}","kind":"sell","status":"pending","amount":100,"fiat_code":"eur","fiat_amount":100,"payment_method":"SEPA,Bank transfer","premium":1,"created_at":1627371434}}}}`;
    const canonical = `{"order":{"version":2,"request_id":1,"trade_index":2,"id":"${ID}","action":"new-order","payload":{"order":{"id":"${ID}","kind":"sell","status":"pending","amount":100,"fiat_code":"eur","min_amount":null,"max_amount":null,"fiat_amount":100,"payment_method":"SEPA,Bank transfer","premium":1,"created_at":1627371434,"expires_at":null}}}}`;
    const m = roundTrip(sample, canonical);
    assert.ok(verifyMessageKind(m.kind));
    assert.equal(m.kind.request_id, 1n);
    assert.ok(!serializeMessage(m).includes('buyer_trade_pubkey'));
    assert.ok(!serializeMessage(m).includes('buyer_invoice'));
  });

  it('§1.8 first canonical example (new buy order without id)', () => {
    const canonical =
      '{"order":{"version":2,"request_id":null,"trade_index":2,"action":"new-order","payload":{"order":{"kind":"buy","status":"pending","amount":0,"fiat_code":"VES","min_amount":null,"max_amount":null,"fiat_amount":100,"payment_method":"face to face","premium":1,"created_at":0,"expires_at":null}}}}';
    const m = roundTrip(canonical);
    assert.ok(verifyMessageKind(m.kind));
    // Built from the typed model the bytes are the same.
    const built = newMessage('order', {
      action: 'new-order',
      trade_index: 2,
      payload: {
        order: {
          kind: 'buy',
          status: 'pending',
          amount: 0,
          fiat_code: 'VES',
          min_amount: null,
          max_amount: null,
          fiat_amount: 100,
          payment_method: 'face to face',
          premium: 1,
          created_at: 0,
          expires_at: null,
        },
      },
    });
    assert.equal(serializeMessage(built), canonical);
  });

  it('§1.8 second example: test_payment_request_payload_message sample → canonical', () => {
    const sample = `{"order":{"version":2,"id":"${ID}","request_id":1,"trade_index":3,"action":"pay-invoice","payload":{"payment_request":[{"id":"${ID}","kind":"sell","status":"waiting-payment","amount":100,"fiat_code":"eur","fiat_amount":100,"payment_method":"Face to face","premium":1,"created_at":1627371434},"${BOLT11}",null]}}}`;
    const canonical = `{"order":{"version":2,"request_id":1,"trade_index":3,"id":"${ID}","action":"pay-invoice","payload":{"payment_request":[{"id":"${ID}","kind":"sell","status":"waiting-payment","amount":100,"fiat_code":"eur","min_amount":null,"max_amount":null,"fiat_amount":100,"payment_method":"Face to face","premium":1,"created_at":1627371434,"expires_at":null},"${BOLT11}",null]}}}`;
    const m = roundTrip(sample, canonical);
    assert.ok(verifyMessageKind(m.kind));
    // get_payment_request answers nothing for pay-invoice, only take-sell/add-invoice/add-bond-invoice/new-order.
    assert.equal(getPaymentRequest(m.kind), null);
    const addInvoice = parseMessage(
      `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"add-invoice","payload":{"payment_request":[null,"${BOLT11}",null]}}}`,
    );
    assert.equal(getPaymentRequest(addInvoice.kind), BOLT11);
  });

  it('peer payload with and without reputation verifies on fiat-sent-ok; f64 rating keeps its point', () => {
    const pub = 'npub1testjsf0runcqdht5apkfcalajxkf8txdxqqk5kgm0agc38ke4vsfsgzf8';
    const withRep = `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"${pub}","reputation":{"rating":4.5,"reviews":10,"operating_days":30}}}}}`;
    assert.ok(verifyMessageKind(roundTrip(withRep).kind));
    const noRep = `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"${pub}","reputation":null}}}}`;
    assert.ok(verifyMessageKind(roundTrip(noRep).kind));
    // Integer input for an f64 is accepted and printed the serde way.
    const intRating = withRep.replace('"rating":4.5', '"rating":0');
    assert.equal(serializeMessage(parseMessage(intRating)), withRep.replace('"rating":4.5', '"rating":0.0'));
    const four = withRep.replace('"rating":4.5', '"rating":4');
    assert.ok(serializeMessage(parseMessage(four)).includes('"rating":4.0,'));
  });

  it('payment_failed verifies on payment-failed (id required)', () => {
    const text = `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"payment-failed","payload":{"payment_failed":{"payment_attempts":3,"payment_retries_interval":60}}}}`;
    const m = roundTrip(text);
    assert.ok(verifyMessageKind(m.kind));
    const { id: _id, ...noId } = m.kind;
    assert.equal(verifyMessageKind(noId), false);
  });

  it('every cant-do reason round-trips; cant_do null too', () => {
    for (const reason of CANT_DO_REASONS) {
      const text = `{"cant-do":{"version":2,"request_id":null,"trade_index":null,"action":"cant-do","payload":{"cant_do":"${reason}"}}}`;
      assert.ok(verifyMessageKind(roundTrip(text).kind), reason);
    }
    const none =
      '{"cant-do":{"version":2,"request_id":null,"trade_index":null,"action":"cant-do","payload":{"cant_do":null}}}';
    assert.ok(verifyMessageKind(roundTrip(none).kind));
    // mostro-core 0.17 `#[serde(other)]`: a reason we do not know reads as `unknown`.
    const unknown = parseMessage(
      '{"cant-do":{"version":2,"action":"cant-do","payload":{"cant_do":"invalid-signature"}}}',
    );
    assert.deepEqual(unknown.kind.payload, { cant_do: 'unknown' });
    rejects(
      '{"cant-do":{"version":2,"action":"cant-do","payload":{"cant_do":7}}}',
      'invalid_type',
      'cant-do.payload.cant_do',
    );
  });

  it('bond resolution and the legacy admin-cancel input', () => {
    const bond = `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"admin-cancel","payload":{"bond_resolution":{"slash_seller":true,"slash_buyer":false}}}}`;
    assert.ok(verifyMessageKind(roundTrip(bond).kind));
    const legacy = `{"order":{"version":1,"id":"${ID}","action":"admin-cancel","payload":null}}`;
    const m = roundTrip(
      legacy,
      `{"order":{"version":1,"request_id":null,"trade_index":null,"id":"${ID}","action":"admin-cancel","payload":null}}`,
    );
    assert.ok(verifyMessageKind(m.kind));
  });

  it('bond invoice actions need an id and their payload', () => {
    const pr = `{"payment_request":[null,"${BOLT11}",null]}`;
    const order = '{"order":{"amount":100,"fiat_code":"eur","fiat_amount":1,"payment_method":"x","premium":0}}';
    for (const action of ['pay-bond-invoice', 'add-bond-invoice']) {
      assert.ok(
        verifyMessageKind(
          parseMessage(`{"order":{"version":2,"id":"${ID}","action":"${action}","payload":${pr}}}`).kind,
        ),
      );
      assert.equal(
        verifyMessageKind(parseMessage(`{"order":{"version":2,"action":"${action}","payload":${pr}}}`).kind),
        false,
      );
    }
    for (const action of ['bond-invoice-accepted', 'bond-payout-completed', 'bond-slashed']) {
      assert.ok(
        verifyMessageKind(
          parseMessage(`{"order":{"version":2,"id":"${ID}","action":"${action}","payload":${order}}}`).kind,
        ),
      );
      assert.equal(
        verifyMessageKind(parseMessage(`{"order":{"version":2,"action":"${action}","payload":${order}}}`).kind),
        false,
      );
    }
  });

  it('restore request verifies with or without id/request_id/trade_index; any payload fails', () => {
    const base =
      '{"restore":{"version":2,"request_id":null,"trade_index":null,"action":"restore-session","payload":null}}';
    assert.ok(verifyMessageKind(roundTrip(base).kind));
    for (const variant of [
      base.replace('"request_id":null', '"request_id":5'),
      base.replace('"trade_index":null', '"trade_index":3'),
      base.replace('"action"', `"id":"${ID}","action"`),
    ]) {
      assert.ok(verifyMessageKind(roundTrip(variant).kind), variant);
    }
    const withText = base.replace('"payload":null', '"payload":{"text_message":"x"}');
    assert.equal(verifyMessageKind(roundTrip(withText).kind), false);
  });

  it('restore reply round-trips (and as a reply it does not pass verify)', () => {
    const reply =
      '{"restore":{"version":2,"request_id":null,"trade_index":null,"action":"restore-session","payload":{"restore_data":{"orders":[{"order_id":"308e1272-d5f4-47e6-bd97-3504baea9c23","trade_index":1,"status":"active"},{"order_id":"408e1272-d5f4-47e6-bd97-3504baea9c24","trade_index":2,"status":"success"}],"disputes":[{"dispute_id":"508e1272-d5f4-47e6-bd97-3504baea9c25","order_id":"308e1272-d5f4-47e6-bd97-3504baea9c23","trade_index":1,"status":"initiated","initiator":"buyer","solver_pubkey":null},{"dispute_id":"608e1272-d5f4-47e6-bd97-3504baea9c26","order_id":"408e1272-d5f4-47e6-bd97-3504baea9c24","trade_index":2,"status":"in-progress","initiator":null,"solver_pubkey":"aabbccdd11223344aabbccdd11223344aabbccdd11223344aabbccdd11223344"},{"dispute_id":"708e1272-d5f4-47e6-bd97-3504baea9c27","order_id":"508e1272-d5f4-47e6-bd97-3504baea9c25","trade_index":3,"status":"initiated","initiator":"seller","solver_pubkey":null}]}}}}';
    // 0.17: counterparty_trade_pubkey defaults to null on input and is always written.
    const canonical = reply.replace(
      /"status":"(active|success)"\}/g,
      '"status":"$1","counterparty_trade_pubkey":null}',
    );
    const m = roundTrip(reply, canonical);
    assert.equal(verifyMessageKind(m.kind), false);
  });

  it('last-trade-index exposes the index; a text payload fails verify', () => {
    const text =
      '{"restore":{"version":2,"request_id":null,"trade_index":7,"action":"last-trade-index","payload":null}}';
    const m = roundTrip(text);
    assert.ok(verifyMessageKind(m.kind));
    assert.equal(m.kind.trade_index, 7);
    const bad = parseMessage(text.replace('"payload":null', '"payload":{"text_message":"7"}'));
    assert.equal(verifyMessageKind(bad.kind), false);
  });

  it('enum spellings', () => {
    for (const s of ['active', 'completed-by-admin', 'fiat-sent', 'waiting-taker-bond', 'waiting-maker-bond']) {
      assert.ok((ORDER_STATUSES as readonly string[]).includes(s));
    }
    assert.equal(ACTIONS.length, 59);
    const order = (kind: string) =>
      `{"order":{"version":2,"action":"new-order","payload":{"order":{"kind":"${kind}","amount":0,"fiat_code":"x","fiat_amount":1,"payment_method":"a","premium":0}}}}`;
    assert.doesNotThrow(() => parseMessage(order('sell')));
    assert.doesNotThrow(() => parseMessage(order('buy')));
    rejects(order('Sell'), 'unknown_variant', 'order.payload.order.kind');
  });

  it('Transport names: gift-wrap ↔ 1059 / v1, nip44 ↔ 14 / v2; others rejected; choice by protocol_version', () => {
    assert.equal(parseTransport('gift-wrap'), 'gift-wrap');
    assert.equal(parseTransport('nip44'), 'nip44');
    for (const bad of ['dual', 'bogus', 'NIP44', 2, null]) {
      assert.throws(
        () => parseTransport(bad),
        (e: unknown) => e instanceof ProtocolError && e.code === 'unknown_variant',
      );
    }
    assert.deepEqual([TRANSPORT_KIND['gift-wrap'], TRANSPORT_VERSION['gift-wrap']], [1059, 1]);
    assert.deepEqual([TRANSPORT_KIND.nip44, TRANSPORT_VERSION.nip44], [14, 2]);
    // 0.20: only an explicit v1 means gift wrap; absent or unknown means kind 14.
    assert.equal(transportForProtocolVersion(1), 'gift-wrap');
    for (const v of [2, null, undefined, 3, 0]) assert.equal(transportForProtocolVersion(v), 'nip44');
  });

  it('mobile restore-decode sample uses action "restore": the reference-strict parser rejects it', () => {
    // Deliberate: mostro-core has no `restore` action, so a Rust peer drops this; we do the same.
    assert.throws(
      () =>
        parseTupleV1(
          '[{"restore":{"version":1,"action":"restore","payload":{"restore_data":{"orders":[],"disputes":[]}}}},null]',
        ),
      (e: unknown) => e instanceof ProtocolError && e.code === 'unknown_variant' && e.path === '[0].restore.action',
    );
    const fixed = parseTupleV1(
      '[{"restore":{"version":1,"action":"restore-session","payload":{"restore_data":{"orders":[],"disputes":[]}}}},null]',
    );
    assert.deepEqual(fixed.message.kind.payload, { restore_data: { orders: [], disputes: [] } });
  });

  it('mobile new_sell_order.json: the SmallOrder parses, the message lacks version/action', () => {
    const text =
      '{"order":{"payload":{"order":{"kind":"sell","status":"pending","amount":0,"fiat_code":"VES","fiat_amount":100,"payment_method":"face to face","premium":1,"created_at":1640995200,"expires_at":1640995200}}}}';
    rejects(text, 'missing_field', 'order.version');
    const inner = JSON.stringify(JSON.parse(text).order.payload);
    const payload = parsePayload(inner);
    assert.ok('order' in payload && payload.order.expires_at === 1640995200);
  });

  it('take amount: from amount payload or third payment_request element', () => {
    const a = parseMessage(`{"order":{"version":2,"id":"${ID}","action":"take-buy","payload":{"amount":15}}}`);
    assert.equal(getAmount(a.kind), 15);
    const b = parseMessage(
      `{"order":{"version":2,"id":"${ID}","action":"take-sell","payload":{"payment_request":[null,"a@b.c",20]}}}`,
    );
    assert.equal(getAmount(b.kind), 20);
    assert.equal(getPaymentRequest(b.kind), 'a@b.c');
  });

  it('dispute tuple payload and the solver info', () => {
    const solver =
      '{"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","kind":"sell","status":"dispute","hash":"ab","preimage":"cd","order_previous_status":"active","initiator_pubkey":"p1","buyer_pubkey":"p2","seller_pubkey":"p3","initiator_full_privacy":false,"counterpart_full_privacy":true,"initiator_info":{"rating":4.5,"reviews":10,"operating_days":30},"counterpart_info":null,"premium":1,"payment_method":"face to face","amount":7851,"fiat_amount":100,"fee":24,"routing_fee":0,"buyer_invoice":"lnbc1","invoice_held_at":1703016000,"taken_at":1703015800,"created_at":1703015000}';
    const took = `{"dispute":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"admin-took-dispute","payload":{"dispute":["${ID}",${solver}]}}}`;
    const m = roundTrip(took);
    assert.ok(verifyMessageKind(m.kind));
    assert.equal(wrapperForAction('admin-took-dispute', m.kind.payload), 'dispute');
    const initiated = `{"order":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"dispute-initiated-by-you","payload":{"dispute":["${ID}",null]}}}`;
    assert.ok(verifyMessageKind(roundTrip(initiated).kind));
    rejects(initiated.replace(`["${ID}",null]`, `"${ID}"`), 'invalid_type', 'order.payload.dispute');
  });

  it('u64 request_id keeps every digit; UUIDs are normalized to lowercase', () => {
    const big =
      '{"order":{"version":2,"request_id":18446744073709551615,"trade_index":null,"action":"orders","payload":{"ids":["308e1272-d5f4-47e6-bd97-3504baea9c23"]}}}';
    const m = roundTrip(big);
    assert.equal(m.kind.request_id, 18446744073709551615n);
    const upper = big.replace('308e1272-d5f4-47e6-bd97-3504baea9c23', '308E1272D5F447E6BD973504BAEA9C23');
    assert.equal(serializeMessage(parseMessage(upper)), big);
    rejects(big.replace('18446744073709551615', '18446744073709551616'), 'out_of_range', 'order.request_id');
    rejects(big.replace('18446744073709551615', '-1'), 'out_of_range', 'order.request_id');
    rejects(big.replace('18446744073709551615', '9'.repeat(100_000)), 'out_of_range', 'order.request_id');
    // Plain-JS callers may hand a safe-integer number; it serializes the same as the bigint.
    const asNumber = { wrapper: 'order', kind: { ...m.kind, request_id: 42 } } as unknown as Message;
    assert.equal(serializeMessage(asNumber), big.replace('18446744073709551615', '42'));
  });

  it('strings are escaped like serde_json', () => {
    const m = newMessage('dm', { action: 'send-dm', id: ID, payload: { text_message: 'a"b\\c\n\t\u0001\u007f/é😀' } });
    assert.equal(
      serializeMessage(m),
      `{"dm":{"version":2,"request_id":null,"trade_index":null,"id":"${ID}","action":"send-dm","payload":{"text_message":"a\\"b\\\\c\\n\\t\\u0001\u007f/é😀"}}}`,
    );
    assert.deepEqual(parseMessage(serializeMessage(m)), m);
  });
});

describe('strict parsing: typed errors naming the field', () => {
  const takeSell = (payload: string) =>
    `{"order":{"version":2,"id":"${ID}","action":"take-sell","payload":${payload}}}`;
  it('payment_request needs exactly 3 elements', () => {
    rejects(takeSell(`{"payment_request":[null,"${BOLT11}"]}`), 'invalid_arity', 'order.payload.payment_request');
    rejects(takeSell(`{"payment_request":[null,"x",null,null]}`), 'invalid_arity', 'order.payload.payment_request');
  });
  it('next_trade needs exactly 2 elements and a u32 index', () => {
    const rel = (p: string) => `{"order":{"version":2,"id":"${ID}","action":"release","payload":{"next_trade":${p}}}}`;
    assert.doesNotThrow(() => parseMessage(rel('["abc",4294967295]')));
    rejects(rel('["abc"]'), 'invalid_arity', 'order.payload.next_trade');
    rejects(rel('["abc",4294967296]'), 'out_of_range', 'order.payload.next_trade[1]');
  });
  it('SmallOrder denies unknown fields and needs its required keys', () => {
    const order = (fields: string) => `{"order":{"version":2,"action":"new-order","payload":{"order":{${fields}}}}}`;
    const ok = '"amount":1,"fiat_code":"x","fiat_amount":1,"payment_method":"a","premium":0';
    assert.doesNotThrow(() => parseMessage(order(ok)));
    rejects(order(`${ok},"name":"x"`), 'unknown_field', 'order.payload.order.name');
    rejects(order(`${ok},"buyer_token":null`), 'unknown_field', 'order.payload.order.buyer_token');
    for (const key of ['amount', 'fiat_code', 'fiat_amount', 'payment_method', 'premium']) {
      const without = ok
        .split(',')
        .filter((kv) => !kv.startsWith(`"${key}"`))
        .join(',');
      rejects(order(without), 'missing_field', `order.payload.order.${key}`);
    }
    rejects(order(`${ok},"amount":2`), 'duplicate_field', 'order.payload.order.amount');
  });
  it('integers must be integers', () => {
    rejects('{"order":{"version":2,"request_id":"123456","action":"cancel"}}', 'invalid_type', 'order.request_id');
    rejects('{"order":{"version":2,"request_id":1.5,"action":"cancel"}}', 'not_integer', 'order.request_id');
    rejects('{"order":{"version":2.0,"action":"cancel"}}', 'not_integer', 'order.version');
    rejects('{"order":{"version":256,"action":"cancel"}}', 'out_of_range', 'order.version');
    rejects('{"order":{"version":2,"trade_index":1e3,"action":"cancel"}}', 'not_integer', 'order.trade_index');
    rejects(
      `{"order":{"version":2,"id":"${ID}","action":"rate-user","payload":{"rating_user":5.0}}}`,
      'not_integer',
      'order.payload.rating_user',
    );
  });
  it('unknown action, wrapper or payload key', () => {
    rejects('{"order":{"version":2,"action":"import-reputations"}}', 'unknown_variant', 'order.action');
    rejects('{"orders":{"version":2,"action":"cancel"}}', 'unknown_variant', 'orders');
    rejects(takeSell('{"invoice":"x"}'), 'unknown_variant', 'order.payload.invoice');
    rejects('{"order":{"version":2,"action":"cancel"},"dm":{"version":2,"action":"cancel"}}', 'invalid_type', '');
  });
  it('MessageKind ignores unknown keys (and drops them on re-serialization)', () => {
    const m = parseMessage(`{"order":{"version":2,"pubkey":"x","id":"${ID}","action":"fiat-sent-ok","payload":null}}`);
    assert.ok(!serializeMessage(m).includes('pubkey'));
  });
  it('bad UUIDs, bad JSON, deep JSON', () => {
    rejects('{"order":{"version":2,"id":"not-a-uuid","action":"cancel"}}', 'invalid_uuid', 'order.id');
    rejects('{"order":{"version":2,"action":"cancel",}}', 'invalid_json', '');
    rejects(`${'['.repeat(200)}${']'.repeat(200)}`, 'too_deep', '');
    rejects('{"order":{"version":2,"action":"cancel"}} x', 'invalid_json', '');
    rejects('{"dm":{"version":2,"action":"send-dm","payload":{"text_message":"\\ud800"}}}', 'invalid_json', '');
  });
});
