// The initial schema. Migrations are frozen once committed: change the schema with a new file.
//
// Full private mode: for an order made by a full-private party, the master_*_pubkey column is NULL
// and no users row exists for it. Nothing stored links two orders of such a party — the trade key
// is a fresh key per order and is the only key kept.
import type { Migration } from './migration.ts';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE orders (
  id TEXT PRIMARY KEY,                         -- uuid
  kind TEXT NOT NULL CHECK (kind IN ('buy', 'sell')),
  event_id TEXT NOT NULL,                      -- d-tag event id of the 38383 order event
  hash TEXT,                                   -- hold invoice payment hash (hex)
  preimage TEXT,                               -- hold invoice preimage (hex); the node's secret until release
  creator_pubkey TEXT NOT NULL,                -- trade key of the maker
  cancel_initiator_pubkey TEXT,
  buyer_pubkey TEXT,                           -- trade keys
  seller_pubkey TEXT,
  master_buyer_pubkey TEXT,                    -- identities; NULL for a full-private party
  master_seller_pubkey TEXT,
  buyer_transport TEXT CHECK (buyer_transport IN ('gift-wrap', 'nip44')),   -- where to notify the party
  seller_transport TEXT CHECK (seller_transport IN ('gift-wrap', 'nip44')),
  status TEXT NOT NULL,
  price_from_api INTEGER NOT NULL DEFAULT 0,   -- market order (amount 0 at creation)
  premium INTEGER NOT NULL DEFAULT 0,
  payment_method TEXT NOT NULL,
  amount INTEGER NOT NULL,                     -- sats
  min_amount INTEGER,                          -- fiat, range orders
  max_amount INTEGER,
  fiat_code TEXT NOT NULL,
  fiat_amount INTEGER NOT NULL,
  fee INTEGER NOT NULL DEFAULT 0,              -- sats, the node's fee (total)
  dev_fee INTEGER NOT NULL DEFAULT 0,          -- sats, share of fee for the development fund
  routing_fee INTEGER NOT NULL DEFAULT 0,      -- sats
  buyer_invoice TEXT,
  range_parent_id TEXT,
  invoice_held_at INTEGER NOT NULL DEFAULT 0,
  taken_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  buyer_dispute INTEGER NOT NULL DEFAULT 0,
  seller_dispute INTEGER NOT NULL DEFAULT 0,
  buyer_cooperativecancel INTEGER NOT NULL DEFAULT 0,
  seller_cooperativecancel INTEGER NOT NULL DEFAULT 0,
  buyer_sent_rate INTEGER NOT NULL DEFAULT 0,
  seller_sent_rate INTEGER NOT NULL DEFAULT 0,
  payment_attempts INTEGER NOT NULL DEFAULT 0,
  failed_payment INTEGER NOT NULL DEFAULT 0,
  trade_index_seller INTEGER,
  trade_index_buyer INTEGER,
  next_trade_pubkey TEXT,                      -- range orders: maker's key for the child order
  next_trade_index INTEGER,
  last_published_at INTEGER NOT NULL DEFAULT 0, -- created_at of the last 38383 event (strictly increasing)
  payout_hash TEXT,                            -- payment hash of the buyer payout
  payout_state TEXT NOT NULL DEFAULT 'none' CHECK (payout_state IN ('none', 'in_flight', 'succeeded', 'failed')),
  payout_fee INTEGER NOT NULL DEFAULT 0,       -- sats actually paid in routing
  hold_state TEXT CHECK (hold_state IN ('open', 'accepted', 'settled', 'canceled')),
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_status ON orders (status, expires_at);
CREATE INDEX orders_buyer ON orders (buyer_pubkey);
CREATE INDEX orders_seller ON orders (seller_pubkey);
CREATE INDEX orders_creator ON orders (creator_pubkey);
CREATE INDEX orders_master_buyer ON orders (master_buyer_pubkey) WHERE master_buyer_pubkey IS NOT NULL;
CREATE INDEX orders_master_seller ON orders (master_seller_pubkey) WHERE master_seller_pubkey IS NOT NULL;
CREATE INDEX orders_hash ON orders (hash) WHERE hash IS NOT NULL;
CREATE INDEX orders_range_parent ON orders (range_parent_id) WHERE range_parent_id IS NOT NULL;

CREATE TABLE disputes (
  id TEXT PRIMARY KEY,                         -- uuid
  order_id TEXT NOT NULL UNIQUE REFERENCES orders (id),
  status TEXT NOT NULL,
  order_previous_status TEXT NOT NULL,
  initiator TEXT NOT NULL CHECK (initiator IN ('buyer', 'seller')),
  solver_pubkey TEXT,
  created_at INTEGER NOT NULL,
  taken_at INTEGER NOT NULL DEFAULT 0,
  last_published_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX disputes_status ON disputes (status);
CREATE INDEX disputes_solver ON disputes (solver_pubkey) WHERE solver_pubkey IS NOT NULL;

CREATE TABLE users (
  pubkey TEXT PRIMARY KEY,                     -- identity key (reputation mode) or solver/admin key
  is_admin INTEGER NOT NULL DEFAULT 0,
  is_solver INTEGER NOT NULL DEFAULT 0,
  solver_permission TEXT CHECK (solver_permission IN ('read', 'read-write')),
  is_banned INTEGER NOT NULL DEFAULT 0,
  last_trade_index INTEGER NOT NULL DEFAULT 0,
  total_reviews INTEGER NOT NULL DEFAULT 0,
  mean_rating REAL NOT NULL DEFAULT 0,
  last_rating INTEGER NOT NULL DEFAULT 0,
  min_rating INTEGER NOT NULL DEFAULT 0,
  max_rating INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE processed_events (
  id TEXT PRIMARY KEY,                         -- Nostr event id (hex)
  processed_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX processed_events_at ON processed_events (processed_at);

CREATE TABLE escrow_journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id TEXT NOT NULL,
  step TEXT NOT NULL,
  detail TEXT NOT NULL,                        -- JSON
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX escrow_journal_order ON escrow_journal (order_id, seq);

CREATE TABLE settings_kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
};
