// Transport and chat benchmark: wrap/unwrap in both transports and chat wrap/open, each beside the
// raw nostr-tools primitives it is built from, then the same operations on the libsecp256k1 wasm
// backend against @noble. ratio = ours / baseline (1.0 = same speed; 0.5 = half; 3 = three times).
// Our unwrap does more than the baselines (every signature, the identity proof, strict parsing),
// so a ratio below 1 is the price of those checks, not waste.
import { hexToBytes } from '@noble/hashes/utils.js';
import * as nip44 from 'nostr-tools/nip44';
import * as nip59 from 'nostr-tools/nip59';
import { finalizeEvent, getPublicKey, type NostrEvent, verifyEvent } from 'nostr-tools/pure';
import {
  ConversationKeyCache,
  chatChannel,
  deriveTradeKey,
  newMessage,
  openChat,
  type SecpBackend,
  sharedSecret,
  unwrapMessage,
  wasmSecp,
  wrapChat,
  wrapMessage,
} from '../packages/protocol/src/index.ts';
import { compare, pair } from './measure.ts';
import type { BenchResult } from './result.ts';

const M1 = 'leader monkey parrot ring guide accident before fence cannon height naive bean';
const NODE_SK = hexToBytes('8f6153e79b2c6f64783f6515a195120f5fcc51422401b2c43b9db1d2e7453697');
const NODE_PUB = getPublicKey(NODE_SK);

/** nostr-tools caches verification on the object: hand every verifyEvent a fresh copy. */
const fresh = (e: NostrEvent): NostrEvent => ({
  id: e.id,
  pubkey: e.pubkey,
  created_at: e.created_at,
  kind: e.kind,
  tags: e.tags,
  content: e.content,
  sig: e.sig,
});

export async function benchTransport(): Promise<BenchResult[]> {
  const identity = deriveTradeKey(M1, 0);
  const trade = deriveTradeKey(M1, 1);
  const peer = deriveTradeKey(M1, 2);
  const message = newMessage('order', {
    action: 'take-sell',
    id: '308e1272-d5f4-47e6-bd97-3504baea9c23',
    trade_index: 1,
  });
  const out: BenchResult[] = [];
  const wrap = (transport: 'gift-wrap' | 'nip44', secp?: SecpBackend) =>
    wrapMessage({
      transport,
      message,
      tradeKey: trade.secretKey,
      identityKey: identity.secretKey,
      recipient: NODE_PUB,
      secp,
    });

  // v1 gift wrap
  const gw = wrap('gift-wrap');
  const toolsRumor = { kind: 1, content: 'x'.repeat(gw.content.length / 4), tags: [] };
  const toolsWrap = nip59.wrapEvent(toolsRumor, trade.secretKey, NODE_PUB);
  pair(
    out,
    'wrapMessage gift-wrap',
    () => wrap('gift-wrap'),
    'nostr-tools nip59.wrapEvent',
    () => nip59.wrapEvent(toolsRumor, trade.secretKey, NODE_PUB),
  );
  pair(
    out,
    'unwrapMessage gift-wrap',
    () => unwrapMessage(gw, NODE_SK),
    'nostr-tools nip59.unwrapEvent',
    () => nip59.unwrapEvent(toolsWrap, NODE_SK),
  );

  // v2 kind 14
  const dm = wrap('nip44');
  const plaintext = nip44.decrypt(dm.content, nip44.getConversationKey(NODE_SK, trade.publicKey));
  const rawV2 = () =>
    finalizeEvent(
      {
        kind: 14,
        created_at: 1,
        tags: [['p', NODE_PUB]],
        content: nip44.encrypt(plaintext, nip44.getConversationKey(trade.secretKey, NODE_PUB)),
      },
      trade.secretKey,
    );
  pair(out, 'wrapMessage nip44', () => wrap('nip44'), 'nostr-tools nip44.encrypt+finalizeEvent', rawV2);
  const rawOpen = () => {
    verifyEvent(fresh(dm));
    return nip44.decrypt(dm.content, nip44.getConversationKey(NODE_SK, dm.pubkey));
  };
  pair(out, 'unwrapMessage nip44', () => unwrapMessage(dm, NODE_SK), 'nostr-tools verifyEvent+nip44.decrypt', rawOpen);
  const cache = new ConversationKeyCache();
  pair(
    out,
    'unwrapMessage nip44 (conv-key cache)',
    () => unwrapMessage(dm, NODE_SK, { convKeyCache: cache }),
    'nostr-tools verifyEvent+nip44.decrypt',
    rawOpen,
  );

  // chat, current format
  const channel = chatChannel(sharedSecret(trade.secretKey, peer.publicKey));
  const ch = channel.current!;
  const chat = wrapChat(channel, { text: 'hola, ya envié el pago', senderKey: trade.secretKey });
  const rawChatWrap = () => {
    const inner = finalizeEvent(
      { kind: 1, created_at: 1, tags: [], content: 'hola, ya envié el pago' },
      trade.secretKey,
    );
    const ck = nip44.getConversationKey(ch.conv.secretKey, ch.conv.publicKey);
    return finalizeEvent(
      { kind: 14, created_at: 1, tags: [['p', ch.conv.publicKey]], content: nip44.encrypt(JSON.stringify(inner), ck) },
      ch.sign!.secretKey,
    );
  };
  pair(
    out,
    'wrapChat',
    () => wrapChat(channel, { text: 'hola, ya envié el pago', senderKey: trade.secretKey }),
    'nostr-tools 2×finalizeEvent+nip44.encrypt',
    rawChatWrap,
  );
  const rawChatOpen = () => {
    verifyEvent(fresh(chat));
    const inner = JSON.parse(nip44.decrypt(chat.content, ch.nip44Key)) as NostrEvent;
    return verifyEvent(inner);
  };
  const parties = [trade.publicKey, peer.publicKey];
  pair(
    out,
    'openChat',
    () => openChat(chat, channel, { allowedSigners: parties }),
    'nostr-tools 2×verifyEvent+nip44.decrypt',
    rawChatOpen,
  );

  // backends: libsecp256k1 (wasm) against @noble on the same operations
  const wasmChannel = chatChannel(sharedSecret(trade.secretKey, peer.publicKey), wasmSecp);
  const backendPairs: [string, () => unknown, () => unknown][] = [
    ['wrapMessage gift-wrap', () => wrap('gift-wrap', wasmSecp), () => wrap('gift-wrap')],
    ['unwrapMessage gift-wrap', () => unwrapMessage(gw, NODE_SK, { secp: wasmSecp }), () => unwrapMessage(gw, NODE_SK)],
    ['wrapMessage nip44', () => wrap('nip44', wasmSecp), () => wrap('nip44')],
    ['unwrapMessage nip44', () => unwrapMessage(dm, NODE_SK, { secp: wasmSecp }), () => unwrapMessage(dm, NODE_SK)],
    [
      'wrapChat',
      () => wrapChat(wasmChannel, { text: 'x', senderKey: trade.secretKey, secp: wasmSecp }),
      () => wrapChat(channel, { text: 'x', senderKey: trade.secretKey }),
    ],
    [
      'openChat',
      () => openChat(chat, wasmChannel, { allowedSigners: parties, secp: wasmSecp }),
      () => openChat(chat, channel, { allowedSigners: parties }),
    ],
  ];
  for (const [name, wasmFn, nobleFn] of backendPairs) {
    const m = compare(wasmFn, nobleFn);
    out.push({ name: `${name} [wasm]`, opsPerSec: m.a, baseline: `${name} [noble]`, ratio: m.ratio });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./run.ts');
  printTable('protocol: transports and chat', await benchTransport());
}
