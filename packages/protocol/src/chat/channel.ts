// A chat channel: the keys one side of a conversation holds, precomputed once.
import { conversationKey } from '../crypto/nip44.ts';
import { nobleSecp, type SecpBackend } from '../crypto/secp.ts';
import { publicKeyOf } from '../keys/nip19.ts';
import { type ChatKeys, chatKeys, type KeyPair, legacyChatKey } from './keys.ts';

export interface CurrentChannel {
  conv: KeyPair;
  /** NIP-44 conversation key of K_conv with itself (self-encryption). */
  nip44Key: Uint8Array;
  /** pub(K_sign): required author. null = unknown (a solver given only K_conv): author not checked. */
  signPub: string | null;
  /** K_sign secret; null on a read-only channel, which cannot write. */
  sign: KeyPair | null;
}

export interface ChatChannel {
  current: CurrentChannel | null;
  /** Legacy kind 1059 format: the raw shared key. */
  legacy: KeyPair | null;
}

function current(
  keys: Pick<ChatKeys, 'conv'> & { sign: KeyPair | null },
  signPub: string | null,
  secp: SecpBackend,
): CurrentChannel {
  return {
    conv: keys.conv,
    nip44Key: conversationKey(keys.conv.secretKey, keys.conv.publicKey, secp),
    signPub,
    sign: keys.sign,
  };
}

/** Both formats for a party holding the ECDH shared secret (peer chat or solver chat). */
export function chatChannel(shared: Uint8Array, secp: SecpBackend = nobleSecp): ChatChannel {
  const keys = chatKeys(shared);
  return { current: current(keys, keys.sign.publicKey, secp), legacy: legacyChatKey(shared) };
}

/**
 * A channel from a single disclosed key, which may be a K_conv (current format) or a legacy shared
 * key: it is tried in both roles. Read-only: cannot write current-format messages.
 */
export function channelFromKey(
  secretKey: Uint8Array,
  signPub: string | null = null,
  secp: SecpBackend = nobleSecp,
): ChatChannel {
  const pair: KeyPair = { secretKey, publicKey: publicKeyOf(secretKey) };
  return { current: current({ conv: pair, sign: null }, signPub, secp), legacy: pair };
}
