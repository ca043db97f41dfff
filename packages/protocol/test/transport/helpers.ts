// Hand-built transport events for negative tests: every layer under the test's control.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getEventHash } from 'nostr-tools/pure';
import { conversationKey, type NostrEvent, nip44Encrypt, nobleSecp, signEvent } from '../../src/crypto/index.ts';
import { deriveTradeKey } from '../../src/keys/index.ts';
import { newMessage } from '../../src/message/index.ts';

export const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
export const identity = deriveTradeKey(M1, 0);
export const trade = deriveTradeKey(M1, 1);
export const trade2 = deriveTradeKey(M1, 2);
export const NODE_SK = hexToBytes('8f6153e79b2c6f64783f6515a195120f5fcc51422401b2c43b9db1d2e7453697');
export const NODE_PUB = '8171eb680049f62ce8747d203f57c3f71de6eea308af6f995363896a1e47cc51';
export const ORDER_ID = '308e1272-d5f4-47e6-bd97-3504baea9c23';

export const takeSell = (trade_index: number | null = 1) =>
  newMessage('order', { action: 'take-sell', id: ORDER_ID, trade_index, version: 2 });

const pub = (sk: Uint8Array) => bytesToHex(nobleSecp.getPublicKey(sk));

/** v2: kind 14 by `author` with an arbitrary plaintext. */
export function rawDirect(plaintext: string, author: Uint8Array, recipient = NODE_PUB, kind = 14): NostrEvent {
  return signEvent(
    {
      kind,
      created_at: Math.floor(Date.now() / 1000),
      tags: [['p', recipient]],
      content: nip44Encrypt(plaintext, conversationKey(author, recipient)),
    },
    author,
  );
}

/** v1: wrap(seal(rumor)) with arbitrary content and kinds. */
export function rawGiftWrap(
  plaintext: string,
  rumorKey: Uint8Array,
  sealKey: Uint8Array,
  o: { recipient?: string; rumorKind?: number; sealKind?: number; rumorPatch?: Record<string, unknown> } = {},
): NostrEvent {
  const recipient = o.recipient ?? NODE_PUB;
  const fields = { kind: o.rumorKind ?? 1, pubkey: pub(rumorKey), created_at: 1, tags: [], content: plaintext };
  const rumor = { ...fields, id: getEventHash(fields), ...o.rumorPatch };
  const seal = signEvent(
    {
      kind: o.sealKind ?? 13,
      created_at: 1,
      tags: [],
      content: nip44Encrypt(JSON.stringify(rumor), conversationKey(sealKey, recipient)),
    },
    sealKey,
  );
  const wk = generateSecretKey();
  return signEvent(
    {
      kind: 1059,
      created_at: 1,
      tags: [['p', recipient]],
      content: nip44Encrypt(JSON.stringify(seal), conversationKey(wk, recipient)),
    },
    wk,
  );
}

/** A wrap whose decrypted content is an arbitrary string (a broken seal). */
export function wrapAround(sealJson: string, recipient = NODE_PUB): NostrEvent {
  const wk = generateSecretKey();
  return signEvent(
    {
      kind: 1059,
      created_at: 1,
      tags: [['p', recipient]],
      content: nip44Encrypt(sealJson, conversationKey(wk, recipient)),
    },
    wk,
  );
}
