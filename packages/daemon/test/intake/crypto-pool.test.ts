// The intake's crypto pool (intake/crypto-pool.ts): events examined on worker threads get the very
// verdicts the node computes inline — for genuine messages in both transports, a forged outer
// signature, a message for another key, malformed content, and garbage — and a closed pool still
// answers (inline), so no event is lost with its workers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConversationKeyCache,
  deriveTradeKey,
  generateMnemonic,
  newMessage,
  nobleSecp,
  signEvent,
  wrapMessage,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import * as nip44 from 'nostr-tools/nip44';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { type CryptoPool, cryptoPoolSize, startCryptoPool } from '../../src/intake/crypto-pool.ts';
import { type Examined, examineEvent } from '../../src/intake/examine.ts';

const nodeSk = generateSecretKey();
const nodePk = getPublicKey(nodeSk);
const mnemonic = generateMnemonic();
const identity = deriveTradeKey(mnemonic, 0);
const trade = deriveTradeKey(mnemonic, 1);
const options = {
  nodeSecretKey: nodeSk,
  nodePubkey: nodePk,
  secp: nobleSecp,
  convKeyCache: new ConversationKeyCache(),
};

const message = newMessage('order', { action: 'orders', request_id: 42n, payload: { ids: [crypto.randomUUID()] } });
const wrap = (transport: 'nip44' | 'gift-wrap', to = nodePk, full = false) =>
  wrapMessage({
    transport,
    message,
    tradeKey: trade.secretKey,
    identityKey: full ? null : identity.secretKey,
    recipient: to,
  }) as NostrEvent;

function cases(): [string, NostrEvent][] {
  const genuine = wrap('nip44');
  const otherSig = wrap('nip44').sig;
  const sign = (content: string, key: Uint8Array) =>
    signEvent({ kind: 14, tags: [['p', nodePk]], content, created_at: 1 }, key, { secp: nobleSecp }) as NostrEvent;
  const notAMessage = nip44.encrypt('["not", "a message"]', nip44.getConversationKey(trade.secretKey, nodePk));
  return [
    ['valid, kind 14', genuine],
    ['valid, kind 14, full privacy', wrap('nip44', nodePk, true)],
    ['valid, gift wrap', wrap('gift-wrap')],
    ['forged outer signature', { ...genuine, sig: otherSig }],
    ['forged content under a genuine signature', { ...genuine, content: `${genuine.content.slice(0, -4)}AAAA` }],
    ['for another key, kind 14', wrap('nip44', getPublicKey(generateSecretKey()))],
    ['for another key, gift wrap', wrap('gift-wrap', getPublicKey(generateSecretKey()))],
    ['malformed content', sign(notAMessage, trade.secretKey)],
    ['content that does not decrypt', sign('not nip44 at all', generateSecretKey())],
    ['signature not hex', { ...genuine, sig: 'zz' }],
  ];
}

describe('intake crypto pool', () => {
  let pool: CryptoPool;
  before(async () => {
    pool = await startCryptoPool({ ...options, size: 2, inline: (e) => examineEvent(options, e) });
  });
  after(() => pool.close());

  it('gives the same verdicts as inline examination', async () => {
    const all = cases();
    // All at once: answers come back to the right job even when both workers interleave.
    const pooled = await Promise.all(all.map(([, e]) => pool.examine(e)));
    for (const [i, [name, event]] of all.entries()) {
      const inline: Examined = examineEvent(options, event);
      assert.deepEqual(pooled[i], inline, name);
    }
    const verdict = (e: Examined) =>
      !e.outerValid ? 'forged' : e.malformed ? 'malformed' : e.opened ? 'ok' : 'not-for-us';
    assert.deepEqual(pooled.map(verdict), [
      'ok',
      'ok',
      'ok',
      'forged',
      'forged',
      'not-for-us',
      'not-for-us',
      'malformed',
      'not-for-us',
      'forged',
    ]);
    const opened = pooled[0]!.outerValid ? pooled[0]!.opened : null;
    assert.equal(opened?.message.request_id, 42n, 'a bigint survives the thread boundary');
    assert.equal(opened?.sender, trade.publicKey);
    assert.equal(opened?.identity, identity.publicKey);
  });

  it('a closed pool still answers, on the calling thread', async () => {
    const closing = await startCryptoPool({ ...options, size: 1, inline: (e) => examineEvent(options, e) });
    const event = wrap('nip44');
    await closing.close();
    const e = await closing.examine(event);
    assert.ok(e.outerValid && e.opened?.sender === trade.publicKey);
  });

  it('sizes itself from the cores: at least one worker; 0 = inline', () => {
    assert.ok(cryptoPoolSize(null) >= 1);
    assert.equal(cryptoPoolSize(0), 0);
    assert.equal(cryptoPoolSize(3), 3);
  });
});
