import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from '@noble/hashes/utils.js';
import { mnemonicToSeedSync } from '@scure/bip39';
import {
  deriveFromSeed,
  deriveIdentityKey,
  deriveTradeKey,
  generateMnemonic,
  mnemonicToSeed,
  parsePublicKey,
  parseSecretKey,
  toNpub,
  toNsec,
  validateMnemonic,
} from '../../src/keys/index.ts';

const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const M2 =
  'what bleak badge arrange retreat wolf trade produce cricket blur garlic valid proud rude strong choose busy staff weather area salt hollow arm fade';
const M3 = Array(12).fill('tomato').join(' ');

describe('keys (clients.md V1, protocol.md §2.6)', () => {
  it('BIP-39 seed of M1', () => {
    assert.equal(
      bytesToHex(mnemonicToSeed(M1)),
      '173b9c5f0d165502d08a4d122b2c9bf1e33e27806eac119713600a263c1241101dc55fb7cffb8f48a59b19a5ba65b037904f907bb8d08eb5bff8a17e85c2ee93',
    );
  });

  it("NIP-06 path m/44'/1237'/0'/0/0 for M1 and M2", () => {
    const k1 = deriveFromSeed(mnemonicToSeed(M1), "m/44'/1237'/0'/0/0");
    assert.equal(bytesToHex(k1.secretKey), '7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a');
    assert.equal(k1.publicKey, '17162c921dc4d2518f9a101db33695df1afb56ab82f5ff3e5da6eec3ca5cd917');
    const k2 = deriveFromSeed(mnemonicToSeed(M2), "m/44'/1237'/0'/0/0");
    assert.equal(bytesToHex(k2.secretKey), 'c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add');
    assert.equal(k2.publicKey, 'd41b22899549e1f3d335a31002cfd382174006e166d3e658e3a5eecdb6463573');
  });

  const rows: [string, number, string, string, string | null][] = [
    [
      M1,
      0,
      'df5ba9d72ec62e9d39a095f1b86936fe10abfc7d56700caa1652a463a40d19b1',
      'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950',
      'npub1kjlk2jxlqsmcveqafd37wj8d5j64ln3ph6hfj9gj6g6g03aa39gqjm37vm',
    ],
    [
      M1,
      1,
      '977b9da8056e6a83a991cb31ac507b0a618fbbee355e36e107e0e348686ab833',
      '1c71f0a29c9d14198781f36897c6d6c08e2c4f905ba69fc5f8e67d375d705a8a',
      'npub1r3clpg5un52pnpup7d5f03kkcz8zcnustwnfl30cue7nwhtst29qzrdazn',
    ],
    [
      M1,
      2,
      '03c78114b80a2db782bb86be47c8062388d78a0585dfa79b8594e105740758c3',
      '5011d0e7a57ae27627ab76962537072c6809ef3b9e24c2e3db4e672c61624eef',
      'npub12qgapea90t38vfatw6tz2dc8935qnmemncjv9c7mfenjcctzfmhsdrt63g',
    ],
    [
      M1,
      3,
      '9e4bd9b04472dfcea9fca6c78bef9642bdf5a9d7efda66ba04b046df222eb9d9',
      '7c4e2fb552dee70caa9f5e7d5d81eb4b14bc2d4369bd473a71774c1072290abe',
      'npub1038zld2jmmnse25lte74mq0tfv2tct2rdx75wwn3waxpqu3fp2lq3fevh2',
    ],
    [
      M2,
      0,
      '56b12d0484980f790ae96fb91e3f100444c28eb13e961c54ec1fabcc25915d00',
      '24e526c51266cb5b180bd90fa4b7a8c4127b79a25c3ae8612e75f031dd519c3c',
      null,
    ],
  ];
  for (const [m, i, sk, pub, npub] of rows) {
    it(`${m === M1 ? 'M1' : 'M2'}/${i} at m/44'/1237'/38383'/0/${i}`, () => {
      const k = deriveTradeKey(m, i);
      assert.equal(k.path, `m/44'/1237'/38383'/0/${i}`);
      assert.equal(bytesToHex(k.secretKey), sk);
      assert.equal(k.publicKey, pub);
      if (npub) assert.equal(toNpub(k.publicKey), npub);
    });
  }

  it('identity = index 0', () => {
    assert.equal(deriveIdentityKey(M1).publicKey, 'b4bf6548df043786641d4b63e748eda4b55fce21beae991512d23487c7bd8950');
  });

  it('rejects M3 (bad checksum) although scure would seed it', () => {
    assert.equal(validateMnemonic(M3), false);
    assert.throws(() => deriveTradeKey(M3, 0), { name: 'InvalidMnemonicError' });
    // Demonstrates why validation matters: the unvalidated seed gives the documented wrong identity.
    const k = deriveFromSeed(mnemonicToSeedSync(M3), "m/44'/1237'/38383'/0/0");
    assert.equal(k.publicKey, '2234dd990c7ed1ba8a345824551ea14f3b5c8eaa8d05d889934fb51d9586cac1');
  });

  it('validates M1, M2 and generated mnemonics, tolerating case and spacing', () => {
    assert.ok(validateMnemonic(M1) && validateMnemonic(M2));
    assert.ok(validateMnemonic(`  ${M1.toUpperCase().replaceAll(' ', '   ')} `));
    assert.equal(generateMnemonic().split(' ').length, 12);
    assert.equal(generateMnemonic(24).split(' ').length, 24);
    assert.ok(validateMnemonic(generateMnemonic()));
    assert.equal(validateMnemonic('leader monkey parrot'), false);
  });

  it('rejects bad indexes', () => {
    assert.throws(() => deriveTradeKey(M1, -1), RangeError);
    assert.throws(() => deriveTradeKey(M1, 1.5), RangeError);
    assert.throws(() => deriveTradeKey(M1, 2 ** 31), RangeError);
  });

  it('parses hex and bech32 keys, rejecting junk', () => {
    const k = deriveTradeKey(M1, 1);
    assert.deepEqual(parseSecretKey(toNsec(k.secretKey)), k.secretKey);
    assert.deepEqual(parseSecretKey(bytesToHex(k.secretKey).toUpperCase()), k.secretKey);
    assert.equal(parseSecretKey('0'.repeat(64)), null);
    assert.equal(parseSecretKey('f'.repeat(64)), null);
    assert.equal(parseSecretKey('nsec1garbage'), null);
    assert.equal(parseSecretKey(toNpub(k.publicKey)), null);
    assert.equal(parsePublicKey(toNpub(k.publicKey)), k.publicKey);
    assert.equal(parsePublicKey(k.publicKey.toUpperCase()), k.publicKey);
    assert.equal(parsePublicKey('npub1xyz'), null);
    assert.equal(
      parsePublicKey('npub1s9c7k6qqf8mze6r505sr747r7uw7dm4rpzhklx2nvwyk58j8e3gs20haeg'),
      '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51',
    );
  });
});
