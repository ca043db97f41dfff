// The chat-key handover text (protocol.md §8.4): what a party writes in the solver channel to give
// the solver the peer chat's K_conv (read-only). Both the party's client and the node's tests read it.

/** The prefix of a handover message in the solver channel. */
export const CHAT_KEY_PREFIX = 'mostro-chat-key:v1 ';

export interface ChatKeyHandover {
  orderId: string;
  /** K_conv secret, hex: decrypts the peer chat, cannot write it. */
  convKey: string;
  /** pub(K_sign): where to find the chat (author of every event). */
  signPub: string;
}

export function encodeChatKeyHandover(h: ChatKeyHandover): string {
  return `${CHAT_KEY_PREFIX}${JSON.stringify({ order_id: h.orderId, conv_key: h.convKey, sign_pub: h.signPub })}`;
}

/** The handover in `text`, or null when `text` is not one (or is malformed). */
export function decodeChatKeyHandover(text: string): ChatKeyHandover | null {
  if (!text.startsWith(CHAT_KEY_PREFIX)) return null;
  try {
    const o = JSON.parse(text.slice(CHAT_KEY_PREFIX.length)) as Record<string, unknown>;
    const hex = /^[0-9a-f]{64}$/;
    if (typeof o.order_id !== 'string' || typeof o.conv_key !== 'string' || typeof o.sign_pub !== 'string') return null;
    if (!hex.test(o.conv_key) || !hex.test(o.sign_pub)) return null;
    return { orderId: o.order_id, convKey: o.conv_key, signPub: o.sign_pub };
  } catch {
    return null;
  }
}
