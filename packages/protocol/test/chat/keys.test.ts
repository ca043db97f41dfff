import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { getConversationKey } from 'nostr-tools/nip44';
import { chatChannel, chatKeys, legacyChatKey, sharedSecret } from '../../src/chat/index.ts';
import { wasmSecp } from '../../src/crypto/index.ts';
import { deriveTradeKey } from '../../src/keys/index.ts';

const ALICE = hexToBytes('548f68890c49fa42f104c60352395e60ff030b0b407e955f1eed1400d6c0347a');
const ALICE_PUB = '000053c3b4773182e7c4c1b72b272d34be01bf4414a6a25c998977c516a46a01';
const BOB = hexToBytes('f258e73f07386d37133718b6127f873dd7c391b8f43b331ff8254034a13d2943');
const BOB_PUB = '000009ae5cff9f6ba9b05159ec5ed58c187f5882ea77c81ed5dd19163272a5d7';
const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';

describe('chat keys (V2, §8.5)', () => {
  it('official protocol vector', () => {
    const s1 = sharedSecret(ALICE, BOB_PUB);
    const s2 = sharedSecret(BOB, ALICE_PUB, wasmSecp);
    assert.equal(bytesToHex(s1), 'def6633a53d07d1e829484c4d4bdbbeed2f4b14c21743e63871c174338e39475');
    assert.deepEqual(s1, s2);
    const k = chatKeys(s1);
    assert.equal(bytesToHex(k.conv.secretKey), '786210709b3077748490720afcf6db73f8f8e85308341c2912a5067ba5e5583d');
    assert.equal(k.conv.publicKey, 'bceb1cd2a8e98ee9729122a1693edcc39c3ace04582ff96a26705c5e4078a6f2');
    assert.equal(bytesToHex(k.sign.secretKey), '79d0e7d968d0f0fb32cf2676ea75892335a54285bcf851e875eb5b344d18a79b');
    assert.equal(k.sign.publicKey, '1dba04571059183f76b148119cfa6f8004dad30cb4e810180a6df17386a7f0b4');
    assert.equal(legacyChatKey(s1).publicKey, '27199d5878869ec3b4ae1ad5c2fed88840218a119f9ce892828b950fc96b4829');
    const ch = chatChannel(s1);
    assert.equal(bytesToHex(ch.current!.nip44Key), 'e1c964d44013e8486e9182bd6fc31b103ab0b92d7a149f1c136047cce84ea136');
    assert.deepEqual(ch.current!.nip44Key, getConversationKey(k.conv.secretKey, k.conv.publicKey));
  });

  const rows = [
    [
      1,
      2,
      '17fa0ace015a5f91f841c8d4cafdac3ccb390d918334334650d27ff747e47b9c',
      'a6840076532bbe3b05455681138a8c4d3f5607ee4f910827b3f104feeba9b083',
      'a99a02a65e6a1112873490fea32e731012dee834b5cdf0ff32071a25e0c24c16',
      '8423935244d7bc85a5fa67ddcf1d60c514cf67ec434b404a77b79202c8e0f151',
    ],
    [
      1,
      3,
      'abdac6f740473b3a8d8157b8661c9a2b6b90eb76c74c1db49c162a08a17be8b9',
      '48f14d7029687ae8a0c05cbba2a88e60b6a3f6ca6262958363daa84ed92ab425',
      '81bb1628117fc7a8f1fc065e2120004b11fc955a95b419db7c854a59f80047c7',
      '5e078f7a95336fad9cf91e0c058d3cd9ec227a77cc2ea66471e1392437b0dd02',
    ],
  ] as const;
  for (const [a, b, shared, legacyPub, convPub, signPub] of rows) {
    it(`M1/${a} ↔ M1/${b}`, () => {
      const ka = deriveTradeKey(M1, a);
      const kb = deriveTradeKey(M1, b);
      const s = sharedSecret(ka.secretKey, kb.publicKey);
      assert.equal(bytesToHex(s), shared);
      assert.deepEqual(sharedSecret(kb.secretKey, ka.publicKey), s);
      assert.equal(legacyChatKey(s).publicKey, legacyPub);
      const k = chatKeys(s);
      assert.equal(k.conv.publicKey, convPub);
      assert.equal(k.sign.publicKey, signPub);
    });
  }

  it('NIP-44 conversation key M1/1 ↔ M1/2', () => {
    const ka = deriveTradeKey(M1, 1);
    const kb = deriveTradeKey(M1, 2);
    assert.equal(
      bytesToHex(getConversationKey(ka.secretKey, kb.publicKey)),
      '9b2f95a05324f64ff34647510b23c4c2b1214b9890da0a3bf398a0546ebfd4b6',
    );
  });

  it('K_conv ≠ K_sign, different peers differ, 16-byte secret rejected', () => {
    const k = chatKeys(sharedSecret(ALICE, BOB_PUB));
    assert.notDeepEqual(k.conv.secretKey, k.sign.secretKey);
    const other = chatKeys(sharedSecret(ALICE, deriveTradeKey(M1, 1).publicKey));
    assert.notEqual(other.conv.publicKey, k.conv.publicKey);
    assert.throws(() => chatKeys(new Uint8Array(16)), RangeError);
    assert.throws(() => legacyChatKey(new Uint8Array(16)), RangeError);
  });
});

describe('chat filters (V6)', () => {
  it('current by author with limit 100 and no #p; legacy by #p over 7 days', async () => {
    const { chatFilter, legacyChatFilter, disclosedChatFilter, channelFromKey } = await import(
      '../../src/chat/index.ts'
    );
    const ch = chatChannel(sharedSecret(ALICE, BOB_PUB));
    assert.deepEqual(chatFilter(ch, { since: 5 }), {
      kinds: [14],
      authors: ['1dba04571059183f76b148119cfa6f8004dad30cb4e810180a6df17386a7f0b4'],
      limit: 100,
      since: 5,
    });
    assert.deepEqual(legacyChatFilter(ch, { now: 1_000_000 }), {
      kinds: [1059],
      '#p': ['27199d5878869ec3b4ae1ad5c2fed88840218a119f9ce892828b950fc96b4829'],
      since: 1_000_000 - 604800,
    });
    assert.deepEqual(disclosedChatFilter(ch.current!.conv.publicKey), {
      kinds: [14],
      '#p': [ch.current!.conv.publicKey],
    });
    assert.throws(() => chatFilter(channelFromKey(ch.current!.conv.secretKey)));
  });
});
