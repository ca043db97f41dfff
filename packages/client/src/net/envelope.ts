// The one place the SDK touches the protocol package's transports: build an outgoing event for the
// node, open an incoming one. Keeping it here means a rename in @mostro/protocol is a one-file change.
import { type Message, type NostrEvent, type Transport, unwrapMessage, wrapMessage } from '@mostro/protocol';

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: string;
}

export interface OutgoingOptions {
  transport: Transport;
  message: Message;
  tradeKey: KeyPair;
  /** Reputation mode: the identity key (index 0) proves who we are. Full private: null. */
  identityKey: KeyPair | null;
  recipient: string;
  pow: number;
  /** NIP-40 expiration for kind 14 events (unix seconds). */
  expiration?: number;
}

export function buildEvent(o: OutgoingOptions): NostrEvent {
  return wrapMessage({
    transport: o.transport,
    message: o.message,
    tradeKey: o.tradeKey.secretKey,
    identityKey: o.identityKey ? o.identityKey.secretKey : null,
    recipient: o.recipient,
    pow: o.pow,
    expiration: o.expiration,
    signed: true,
  });
}

export interface Incoming {
  transport: Transport;
  message: Message;
  /** The key that wrote it (the node's key for node messages). */
  sender: string;
  /** v1: the seal's key; v2: the identity proof's key or the sender. */
  identity: string;
  createdAt: number;
}

/** Opens an event addressed to `secretKey`; null when it is not for this key or is malformed. */
export function openEvent(event: NostrEvent, secretKey: Uint8Array, from?: string): Incoming | null {
  try {
    const u = unwrapMessage(event, secretKey, from ? { from } : {});
    if (!u?.ok) return null;
    return {
      transport: u.transport,
      message: u.message,
      sender: u.sender,
      identity: u.identity,
      createdAt: u.createdAt,
    };
  } catch {
    return null;
  }
}
