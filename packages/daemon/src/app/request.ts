// What a handler sees of an accepted message: everything the intake pipeline proved about it.
import type { MessageKind, Transport, Wrapper } from '@mostro/protocol';

export interface Request {
  /** Id of the outer Nostr event (gift wrap or kind 14). */
  eventId: string;
  transport: Transport;
  wrapper: Wrapper;
  message: MessageKind;
  /** The trade key that authored the message (rumor author on v1, event author on v2). */
  sender: string;
  /** The identity key that vouched for it; equals `sender` in full private mode. */
  identity: string;
  /** True when no identity key was revealed: nothing may accrue to, or link, this user. */
  fullPrivacy: boolean;
  tradeSignature: string | null;
  createdAt: number;
}
