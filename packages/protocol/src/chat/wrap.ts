// Writing chat events: the current kind 14 envelope (§8.2) and the legacy kind 1059 (§8.3).

import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey } from 'nostr-tools/pure';
import { type NostrEvent, signUnsigned } from '../crypto/event.ts';
import { conversationKey, nip44Encrypt } from '../crypto/nip44.ts';
import { minePow } from '../crypto/pow.ts';
import { nobleSecp, type SecpBackend } from '../crypto/secp.ts';
import { randomBelow, TWO_DAYS } from '../transport/time.ts';
import type { ChatChannel } from './channel.ts';
import { createInner } from './inner.ts';

export interface WrapChatParams {
  text: string;
  /** The sender's trade key (or the solver's key in a solver channel): signs the inner event. */
  senderKey: Uint8Array;
  /** Unix seconds; default now. Outer and inner carry the same real time. */
  createdAt?: number;
  /** NIP-13 difficulty mined on the outer event. */
  pow?: number;
  secp?: SecpBackend;
}

function finish(unsigned: Omit<NostrEvent, 'id' | 'sig'>, key: Uint8Array, pow: number | undefined, secp: SecpBackend) {
  const ready = pow && pow > 0 ? minePow(unsigned, pow) : unsigned;
  return signUnsigned(ready, key, { secp });
}

/** Current format: inner kind 1 (with a `u` nonce) NIP-44 self-encrypted under K_conv, outer kind 14 by K_sign. */
export function wrapChat(channel: ChatChannel, p: WrapChatParams): NostrEvent {
  const ch = channel.current;
  if (!ch?.sign) throw new Error('wrapChat: this channel has no K_sign (read-only)');
  const secp = p.secp ?? nobleSecp;
  const createdAt = p.createdAt ?? Math.floor(Date.now() / 1000);
  const inner = createInner(p.text, p.senderKey, createdAt, { secp });
  const unsigned = {
    kind: 14,
    pubkey: ch.sign.publicKey,
    created_at: createdAt,
    tags: [['p', ch.conv.publicKey]],
    content: nip44Encrypt(JSON.stringify(inner), ch.nip44Key),
  };
  return finish(unsigned, ch.sign.secretKey, p.pow, secp);
}

/** Legacy format: inner kind 1 encrypted to the shared pubkey by a one-time key, outer kind 1059. */
export function wrapLegacyChat(channel: ChatChannel, p: WrapChatParams): NostrEvent {
  const key = channel.legacy;
  if (!key) throw new Error('wrapLegacyChat: this channel has no legacy key');
  const secp = p.secp ?? nobleSecp;
  const now = p.createdAt ?? Math.floor(Date.now() / 1000);
  const inner = createInner(p.text, p.senderKey, now, { nonce: false, secp });
  const ephemeral = generateSecretKey();
  const unsigned = {
    kind: 1059,
    pubkey: bytesToHex(secp.getPublicKey(ephemeral)),
    created_at: now - randomBelow(TWO_DAYS),
    tags: [['p', key.publicKey]],
    content: nip44Encrypt(JSON.stringify(inner), conversationKey(ephemeral, key.publicKey, secp)),
  };
  return finish(unsigned, ephemeral, p.pow, secp);
}
