// Live delivery with complete NIP-01 filter matching.
//
// @nostr-relay/core 0.0.40 matches live (post-EOSE) events against subscriptions with
// `EventUtils.isMatchingFilter`, which checks ids/authors/kinds/since/until but ignores tag
// queries: a `{"kinds":[1059],"#p":[me]}` subscriber would be sent every gift wrap on the
// relay. Stored-event queries (SQL) are correct. This plugin takes over the broadcast step
// through the library's own plugin interface: it reads the subscriptions the library keeps per
// client (`ClientContext.subscriptions`) and matches with nostr-tools' full matcher.
import type {
  BroadcastPlugin,
  Client,
  ClientContext,
  Event,
  HandleMessagePlugin,
  HandleMessageResult,
  IncomingMessage,
} from '@nostr-relay/common';
import { createOutgoingEventMessage } from '@nostr-relay/common';
import { type Filter, matchFilters } from 'nostr-tools/filter';

export class LiveFilterGuard implements HandleMessagePlugin, BroadcastPlugin {
  private readonly contexts = new Map<Client, ClientContext>();

  async handleMessage(
    ctx: ClientContext,
    _message: IncomingMessage,
    next: () => Promise<HandleMessageResult>,
  ): Promise<HandleMessageResult> {
    this.contexts.set(ctx.client, ctx);
    return next();
  }

  /** Call when a client disconnects, together with `NostrRelay.handleDisconnect`. */
  forget(client: Client): void {
    this.contexts.delete(client);
  }

  // Deliberately does not call `next`: the library's tag-blind fan-out must not run as well.
  async broadcast(event: Event, _next: () => Promise<void>): Promise<void> {
    for (const ctx of this.contexts.values()) {
      if (!ctx.isOpen) continue;
      ctx.subscriptions.forEach((filters, subscriptionId) => {
        if (matchFilters(filters as Filter[], event)) {
          ctx.sendMessage(createOutgoingEventMessage(subscriptionId, event));
        }
      });
    }
  }
}
