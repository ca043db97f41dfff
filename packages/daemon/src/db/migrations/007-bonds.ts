// Anti-abuse bonds (protocol.md §5.12): one row per bond hold invoice, with the decision about it
// (release or slash) written before the Lightning call that carries it out, and the payout of a
// slashed bond's share to the wronged party, tracked by its payment hash like the buyer's payout.
import type { Migration } from './migration.ts';

export const bonds: Migration = {
  version: 7,
  name: 'bonds',
  sql: `
CREATE TABLE bonds (
  id TEXT PRIMARY KEY,                         -- uuid
  order_id TEXT NOT NULL,
  role TEXT NOT NULL,                          -- 'maker' | 'taker'
  pubkey TEXT NOT NULL,                        -- the bonded party's trade key
  transport TEXT NOT NULL,                     -- where that party listens
  amount_sats INTEGER NOT NULL,
  hash TEXT NOT NULL UNIQUE,                   -- hex; the bond hold invoice
  preimage TEXT NOT NULL,
  request TEXT,                                -- BOLT-11, once the backend created it
  state TEXT NOT NULL,                         -- creating|requested|locked|releasing|released|slashing|slashed
  take TEXT,                                   -- taker bonds: JSON of the take to carry out when it locks
  request_id TEXT,                             -- the request that asked for the bond (echoed later)
  trade_index INTEGER,
  created_at INTEGER NOT NULL,
  locked_at INTEGER,
  closed_at INTEGER,                           -- released or slashed
  slash_reason TEXT,                           -- 'solver' | 'timeout'
  payout_recipient TEXT,                       -- trade key of the wronged party (NULL: nobody claims)
  payout_transport TEXT,
  payout_sats INTEGER NOT NULL DEFAULT 0,      -- the claimable share
  payout_invoice TEXT,
  payout_hash TEXT,
  payout_state TEXT NOT NULL DEFAULT 'none',   -- none|in_flight|succeeded|failed
  payout_attempts INTEGER NOT NULL DEFAULT 0,
  payout_sent_at INTEGER,
  payout_asked_at INTEGER                      -- when the winner was last sent add-bond-invoice
) STRICT;
CREATE INDEX bonds_order ON bonds (order_id);
CREATE INDEX bonds_state ON bonds (state);
`,
};
