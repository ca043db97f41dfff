// Hand-picked inputs for the reference comparison: the shapes where a JSON implementation is most
// likely to differ from serde_json (numbers, UUID forms, escapes, unknown and duplicate keys, arity).
const ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';
const order = (fields: string) =>
  `{"order":{"version":2,"action":"new-order","payload":{"order":{"amount":1,"fiat_code":"x","fiat_amount":1,"payment_method":"a","premium":0${fields}}}}}`;
const kind = (fields: string) => `{"order":{"version":2,${fields}}}`;

export const EDGE_MESSAGES: string[] = [
  // V3 / §1.8 samples
  `{"order":{"version":2,"id":"${ID}","request_id":1,"trade_index":2,"action":"new-order","payload":{"order":{"id":"${ID}","kind":"sell","status":"pending","amount":100,"fiat_code":"eur","fiat_amount":100,"payment_method":"SEPA,Bank transfer","premium":1,"created_at":1627371434}}}}`,
  `{"order":{"version":1,"id":"${ID}","action":"admin-cancel","payload":null}}`,
  '{"restore":{"version":2,"request_id":null,"trade_index":7,"action":"last-trade-index","payload":null}}',
  '{"cant-do":{"version":2,"request_id":null,"trade_index":null,"action":"cant-do","payload":{"cant_do":null}}}',
  // integers
  kind('"request_id":18446744073709551615,"action":"cancel"'),
  kind('"request_id":18446744073709551616,"action":"cancel"'),
  kind('"request_id":-1,"action":"cancel"'),
  kind('"request_id":-0,"action":"cancel"'),
  kind('"request_id":"1","action":"cancel"'),
  kind('"request_id":1.0,"action":"cancel"'),
  kind('"request_id":1e2,"action":"cancel"'),
  kind('"trade_index":-9223372036854775808,"action":"cancel"'),
  kind('"trade_index":9007199254740993,"action":"cancel"'),
  '{"order":{"version":255,"action":"cancel"}}',
  '{"order":{"version":256,"action":"cancel"}}',
  '{"order":{"version":-1,"action":"cancel"}}',
  order(',"created_at":1.5'),
  order(',"premium":-3'),
  `{"order":{"version":2,"id":"${ID}","action":"rate-user","payload":{"rating_user":256}}}`,
  `{"order":{"version":2,"id":"${ID}","action":"release","payload":{"next_trade":["k",4294967296]}}}`,
  // f64
  `{"order":{"version":2,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"p","reputation":{"rating":0,"reviews":1,"operating_days":2}}}}}`,
  `{"order":{"version":2,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"p","reputation":{"rating":1e300,"reviews":1,"operating_days":2}}}}}`,
  `{"order":{"version":2,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"p","reputation":{"rating":1e-7,"reviews":1,"operating_days":2}}}}}`,
  `{"order":{"version":2,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"p","reputation":{"rating":-0.0,"reviews":1,"operating_days":2}}}}}`,
  `{"order":{"version":2,"id":"${ID}","action":"fiat-sent-ok","payload":{"peer":{"pubkey":"p","reputation":{"rating":4.5,"reviews":1,"operating_days":-2}}}}}`,
  // UUID forms
  kind(`"id":"${ID.toUpperCase()}","action":"cancel"`),
  kind(`"id":"${ID.replaceAll('-', '')}","action":"cancel"`),
  kind(`"id":"{${ID}}","action":"cancel"`),
  kind(`"id":"urn:uuid:${ID}","action":"cancel"`),
  kind(`"id":"${ID.slice(0, -1)}","action":"cancel"`),
  kind('"id":null,"action":"cancel"'),
  // strings and escapes
  `{"dm":{"version":2,"id":"${ID}","action":"send-dm","payload":{"text_message":"\\u00e9\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f\\ud83d\\ude00é😀"}}}`,
  `{"dm":{"version":2,"id":"${ID}","action":"send-dm","payload":{"text_message":"\\ud83d"}}}`,
  `{"dm":{"version":2,"id":"${ID}","action":"send-dm","payload":{"text_message":"\\x"}}}`,
  // unknown, duplicate, missing keys
  order(',"name":"x"'),
  order(',"buyer_token":null'),
  order(',"amount":2'),
  order(',"id":null,"buyer_invoice":null,"kind":null'),
  '{"order":{"version":2,"action":"new-order","payload":{"order":{"fiat_code":"x","fiat_amount":1,"payment_method":"a","premium":0}}}}',
  kind('"action":"cancel","pubkey":"x","extra":{"deep":[1,2,{"a":null}]}'),
  kind('"action":"cancel","version":2'),
  kind('"action":"cancel","payload":null,"payload":null'),
  kind('"action":"import-reputation"'),
  '{"order":{"action":"cancel"}}',
  '{"order":{"version":2}}',
  '{"order":{"version":2,"action":"cancel"},"dm":{"version":2,"action":"cancel"}}',
  '{}',
  '[]',
  '{"Order":{"version":2,"action":"cancel"}}',
  // payload shapes
  kind('"action":"cancel","payload":{}'),
  kind('"action":"cancel","payload":{"amount":1,"text_message":"x"}'),
  kind('"action":"cancel","payload":"text_message"'),
  kind('"action":"take-sell","payload":{"payment_request":[null,"lnbc"]}'),
  kind('"action":"take-sell","payload":{"payment_request":[null,"lnbc",null]}'),
  kind('"action":"take-sell","payload":{"payment_request":[null,"lnbc",null,null]}'),
  kind(`"action":"dispute-initiated-by-you","payload":{"dispute":"${ID}"}`),
  kind(`"action":"dispute-initiated-by-you","payload":{"dispute":["${ID}"]}`),
  kind(`"action":"dispute-initiated-by-you","payload":{"dispute":["${ID}",null,null]}`),
  kind('"action":"cant-do","payload":{"cant_do":"invalid-signature"}'),
  kind(`"action":"orders","payload":{"ids":["${ID}","${ID.toUpperCase()}"]}`),
  kind(
    '"action":"add-cashu-escrow","payload":{"cashu_lock_proof":{"token":"t","mint_url":"m","buyer_pubkey":"b","seller_pubkey":"s","mostro_pubkey":"p","fee_token":null}}',
  ),
  // whitespace and syntax
  ` { "order" : { "version" : 2 , "action" : "cancel" } } \n`,
  kind('"action":"cancel",'),
  `${kind('"action":"cancel"')}x`,
  kind("'action':'cancel'"),
  kind('"action":"cancel","payload":01'),
];
