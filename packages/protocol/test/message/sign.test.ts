// §1.2 vectors: digest, trade signature and identity proof (aux = 32 zero bytes ⇒ byte-exact),
// plus the negative cases a verifier must catch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  IDENTITY_PROOF_DOMAIN,
  identityProofDigest,
  messageDigest,
  newMessage,
  nobleSecp,
  ProtocolError,
  parseMessage,
  parseTupleV1,
  parseTupleV2,
  serializeMessage,
  serializeTupleV1,
  serializeTupleV2,
  signIdentityProof,
  signMessage,
  verifyIdentityProof,
  verifyMessageSignature,
} from '../../src/index.ts';

const TRADE_SK = '977b9da8056e6a83a991cb31ac507b0a618fbbee355e36e107e0e348686ab833';
const TRADE_PUB = '1c71f0a29c9d14198781f36897c6d6c08e2c4f905ba69fc5f8e67d375d705a8a';
const IDENTITY_SK = 'df5ba9d72ec62e9d39a095f1b86936fe10abfc7d56700caa1652a463a40d19b1';
const IDENTITY_PUB = 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950';
const OTHER_TRADE_SK = '03c78114b80a2db782bb86be47c8062388d78a0585dfa79b8594e105740758c3';
const OTHER_TRADE_PUB = '5011d0e7a57ae27627ab76962537072c6809ef3b9e24c2e3db4e672c61624eef';
const MESSAGE_JSON =
  '{"order":{"version":2,"request_id":null,"trade_index":1,"id":"308e1272-d5f4-47e6-bd97-3504baea9c23","action":"take-sell","payload":null}}';
const TRADE_SIG =
  '1d5cf8886ad4cd4bb4c2784a4f5636b82005454401f0344cce38ff2a8f6b40d5b49bc679354208bc21eb8dc6730e0566fd71505b2f89058d80a32f51bcd563b1';
const IDENTITY_SIG =
  'c385f616c43047eac63f7e234ce644144c2fcfc3bfd41051b10cc705f5d626706639e82338ad8282cf84ed376cefb0369126ecb7f9dc6ad284b8fd23261928ea';
const TUPLE = `[${MESSAGE_JSON},"${TRADE_SIG}",["${IDENTITY_PUB}","${IDENTITY_SIG}"]]`;
const AUX0 = new Uint8Array(32);

describe('§1.2 trade signature and identity proof vector', () => {
  const m = parseMessage(MESSAGE_JSON);

  it('digest of the canonical message', () => {
    assert.equal(serializeMessage(m), MESSAGE_JSON);
    assert.equal(bytesToHex(messageDigest(m)), 'f91fc2bcf979ef8b3403b4aa814c515288ab52dc0948e826d984a7978eb53c10');
  });

  it('the published signatures verify', () => {
    assert.ok(verifyMessageSignature(m, TRADE_SIG, TRADE_PUB));
    assert.ok(verifyIdentityProof(TRADE_PUB, m, IDENTITY_PUB, IDENTITY_SIG));
    assert.ok(verifyIdentityProof(TRADE_PUB, MESSAGE_JSON, IDENTITY_PUB, IDENTITY_SIG));
  });

  it('with aux = 32 zero bytes the signatures reproduce byte-exactly', () => {
    assert.equal(signMessage(m, TRADE_SK, { aux: AUX0 }), TRADE_SIG);
    assert.equal(signIdentityProof(TRADE_PUB, m, IDENTITY_SK, { aux: AUX0, secp: nobleSecp }), IDENTITY_SIG);
  });

  it('proof digest uses the domain string', () => {
    const expected = sha256(utf8ToBytes(`${IDENTITY_PROOF_DOMAIN}${TRADE_PUB}:${MESSAGE_JSON}`));
    assert.equal(IDENTITY_PROOF_DOMAIN, 'mostro-transport-v2-identity:');
    assert.deepEqual(identityProofDigest(TRADE_PUB, MESSAGE_JSON), expected);
    assert.equal(
      bytesToHex(identityProofDigest(TRADE_PUB, MESSAGE_JSON)),
      '8b76a8db3c76679955407eaa5a4f99856a4a5766eee6a78141ea7636a8b6d1d6',
    );
  });

  it('the v2 plaintext tuple round-trips byte-exactly', () => {
    const t = parseTupleV2(TUPLE);
    assert.equal(t.tradeSig, TRADE_SIG);
    assert.deepEqual(t.identityProof, { pubkey: IDENTITY_PUB, sig: IDENTITY_SIG });
    assert.equal(serializeTupleV2(t.message, t.tradeSig, t.identityProof), TUPLE);
    assert.equal(serializeTupleV1(m, null), `[${MESSAGE_JSON},null]`);
    assert.deepEqual(parseTupleV1(`[${MESSAGE_JSON},null]`), { message: m, tradeSig: null, identityProof: null });
  });

  it('a sample with non-canonical key order still verifies (verification re-serializes)', () => {
    const reordered =
      '{"order":{"id":"308E1272-D5F4-47E6-BD97-3504BAEA9C23","action":"take-sell","version":2,"trade_index":1,"extra":1}}';
    assert.ok(verifyMessageSignature(parseMessage(reordered), TRADE_SIG, TRADE_PUB));
  });
});

describe('negative cases', () => {
  const m = parseMessage(MESSAGE_JSON);

  it('a trade signature by a non-author fails', () => {
    const forged = signMessage(m, OTHER_TRADE_SK);
    assert.equal(verifyMessageSignature(m, forged, TRADE_PUB), false);
    assert.ok(verifyMessageSignature(m, forged, OTHER_TRADE_PUB));
  });

  it('a signature over another message fails', () => {
    const other = newMessage('order', {
      action: 'take-buy',
      id: '308e1272-d5f4-47e6-bd97-3504baea9c23',
      trade_index: 1,
    });
    assert.equal(verifyMessageSignature(other, TRADE_SIG, TRADE_PUB), false);
  });

  it('a proof over another payload fails', () => {
    const other = parseMessage(MESSAGE_JSON.replace('"payload":null', '"payload":{"amount":15}'));
    assert.equal(verifyIdentityProof(TRADE_PUB, other, IDENTITY_PUB, IDENTITY_SIG), false);
  });

  it('a proof replayed under another trade key fails', () => {
    assert.equal(verifyIdentityProof(OTHER_TRADE_PUB, m, IDENTITY_PUB, IDENTITY_SIG), false);
  });

  it('a proof claimed for another identity fails', () => {
    assert.equal(verifyIdentityProof(TRADE_PUB, m, OTHER_TRADE_PUB, IDENTITY_SIG), false);
  });

  it('malformed signatures and keys answer false, never throw', () => {
    assert.equal(verifyMessageSignature(m, 'zz', TRADE_PUB), false);
    assert.equal(verifyMessageSignature(m, TRADE_SIG, 'abc'), false);
    assert.equal(verifyMessageSignature(m, '00'.repeat(64), TRADE_PUB), false);
    assert.equal(verifyMessageSignature(m, TRADE_SIG, 'ff'.repeat(32)), false);
    const broken = { wrapper: 'order', kind: { ...m.kind, version: 1.5 } } as typeof m;
    assert.equal(verifyMessageSignature(broken, TRADE_SIG, TRADE_PUB), false);
    assert.equal(verifyIdentityProof('nothex', m, IDENTITY_PUB, IDENTITY_SIG), false);
  });

  it('a malformed secret key is a typed error', () => {
    assert.throws(
      () => signMessage(m, 'xyz'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'invalid_hex',
    );
  });

  it('tuple arity and element types are enforced', () => {
    const fails = (text: string, parse: (t: string) => unknown, code: string, path: string) =>
      assert.throws(
        () => parse(text),
        (e: unknown) => e instanceof ProtocolError && e.code === code && e.path === path,
      );
    fails(`[${MESSAGE_JSON},null]`, parseTupleV2, 'invalid_arity', '');
    fails(`[${MESSAGE_JSON},null,null]`, parseTupleV1, 'invalid_arity', '');
    fails(`[${MESSAGE_JSON},"abcd",null]`, parseTupleV2, 'invalid_hex', '[1]');
    fails(`[${MESSAGE_JSON},null,["${IDENTITY_PUB}"]]`, parseTupleV2, 'invalid_arity', '[2]');
    fails(
      `[${MESSAGE_JSON.replace('"trade_index":1', '"trade_index":"1"')},null,null]`,
      parseTupleV2,
      'invalid_type',
      '[0].order.trade_index',
    );
  });
});
