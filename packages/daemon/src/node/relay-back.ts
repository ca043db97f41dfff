// A relay that comes back after an outage missed what the node published meanwhile (the outbox
// counts one acknowledging relay as delivered): the latest revision of every open order, the info
// event and the relay list are published again. The first connection of a run is not a comeback.
import { ORDER_STATUSES } from '@mostro/protocol';
import type { Logger } from '../app/context.ts';
import type { Db } from '../db/open.ts';
import { listOrdersByStatus, TERMINAL_ORDER_STATUSES } from '../db/orders.ts';
import type { NodePublisher } from '../publish/publisher.ts';

const OPEN_STATUSES = ORDER_STATUSES.filter((s) => !TERMINAL_ORDER_STATUSES.includes(s));

export interface RelayBackDeps {
  db: Db;
  publisher: NodePublisher;
  publishInfo(): Promise<void>;
  relays: readonly string[];
  log: Logger;
}

export async function republishAfterOutage(deps: RelayBackDeps): Promise<number> {
  const open = listOrdersByStatus(deps.db, OPEN_STATUSES);
  for (const order of open) await deps.publisher.republishOrder(order);
  await deps.publishInfo();
  await deps.publisher.relayList(deps.relays);
  return open.length;
}

/** Calls `onBack(url)` when a relay connects again after having been connected in this run. */
export function comebackWatcher(onBack: (url: string) => void): (url: string, status: string) => void {
  const connectedBefore = new Set<string>();
  const down = new Set<string>();
  return (url, status) => {
    if (status === 'connected') {
      if (connectedBefore.has(url) && down.has(url)) onBack(url);
      connectedBefore.add(url);
      down.delete(url);
    } else if (connectedBefore.has(url)) {
      down.add(url);
    }
  };
}
