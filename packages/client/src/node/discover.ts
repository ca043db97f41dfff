// Finding Mostro nodes: every node announces itself with a kind 38385 info event (addressable,
// `d` = its own pubkey) on the relays it uses, so a client can list the nodes a set of relays
// knows and let the person choose one.
import type { NostrEvent } from '@mostro/protocol';
import { queryStored } from '../client/discovery.ts';
import type { Relays } from '../net/relays.ts';
import { type NodeInfo, parseNodeInfo } from './info.ts';

/**
 * The newest info per node among `events`. An info event whose `d` is not its author's key is
 * someone speaking for another node and is ignored.
 */
export function newestNodeInfos(events: NostrEvent[]): NodeInfo[] {
  const byNode = new Map<string, NodeInfo>();
  for (const e of events) {
    if (e.tags.find((t) => t[0] === 'd')?.[1] !== e.pubkey) continue;
    const info = parseNodeInfo(e);
    if (!info) continue;
    const have = byNode.get(info.pubkey);
    if (!have || info.createdAt > have.createdAt) byNode.set(info.pubkey, info);
  }
  return [...byNode.values()].sort((a, b) => b.createdAt - a.createdAt);
}

/** The nodes that announced themselves on `relays`, newest announcement first. */
export async function discoverNodes(relays: Relays, opts: { timeoutMs?: number; limit?: number } = {}) {
  const events = await queryStored(relays, [{ kinds: [38385], limit: opts.limit ?? 200 }], opts.timeoutMs ?? 8000);
  return newestNodeInfos(events);
}
