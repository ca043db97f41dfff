// The SDK reaches relays through @mostro/nostr's `Relays`: the relay pool in production, an
// in-memory fake in tests. The one SDK-specific rule: a publish no relay accepted is an error.
import { acceptedByAny, describePublishResults, type NostrEvent, type Relays } from '@mostro/nostr';
import { ClientError } from '../errors.ts';

export type { Filter, PoolSubscription as Subscription, Relays, SubscribeHandlers } from '@mostro/nostr';

/** Resolves when at least one relay accepted the event; rejects with `node_unreachable` otherwise. */
export async function publishOrFail(relays: Relays, event: NostrEvent): Promise<void> {
  const results = await relays.publish(event);
  if (acceptedByAny(results)) return;
  throw new ClientError(
    'node_unreachable',
    `no relay accepted the event (${describePublishResults(results)})`,
    'check that the relays are up and reachable (--relay / MOSTRO_RELAYS)',
  );
}
