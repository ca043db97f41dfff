// What a maker learns about the taker when an order is taken (the `peer` quirk messages, §4.1): the
// taker's reputation, zeros for a full-private taker (who has none by design) or an identity without
// ratings; the payload always carries an object, as the reference's does.
import type { Peer } from '@mostro/protocol';
import { getUser } from '../db/users.ts';
import type { AppContext } from './context.ts';

export function peerReputation(ctx: AppContext, identity: string | null): Peer {
  const user = identity === null ? undefined : getUser(ctx.db, identity);
  return {
    pubkey: '',
    reputation: {
      rating: user?.mean_rating ?? 0,
      reviews: user?.total_reviews ?? 0,
      operating_days: user ? Math.max(0, Math.floor((ctx.clock.now() - user.created_at) / 86_400)) : 0,
    },
  };
}
