// What a maker learns about the taker when an order is taken (the `peer` quirk messages, §4.1): the
// taker's reputation, zeros for a full-private taker (who has none by design) or an identity without
// ratings; the payload always carries an object, as the reference's does.
import type { Peer } from '@mostro/protocol';
import { reputationOf } from '../publish/reputation.ts';
import type { AppContext } from './context.ts';

export function peerReputation(ctx: AppContext, identity: string | null): Peer {
  return { pubkey: '', reputation: reputationOf(ctx.db, identity, ctx.clock.now()) };
}
