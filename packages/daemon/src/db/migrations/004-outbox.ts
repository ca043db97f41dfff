// The durable outbox: every message and event the node sends is a row here, written in the same
// transaction as the state change that causes it, and deleted once a relay has acknowledged it.
import type { Migration } from './migration.ts';

export const outbox: Migration = {
  version: 4,
  name: 'outbox',
  sql: `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,        -- delivery order within a lane
  lane TEXT NOT NULL,                          -- 'dm:<pubkey>:<transport>' (kept in order) or 'event:…'
  recipient TEXT,                              -- DM: the recipient's trade key (hex); NULL for own events
  transport TEXT,                              -- DM: the recipient's transport
  message TEXT,                                -- DM: the message (canonical JSON) until it is wrapped
  event TEXT,                                  -- the signed event (JSON): a retry sends the same id
  queued_at INTEGER NOT NULL,                  -- unix seconds
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,            -- unix milliseconds
  last_error TEXT
) STRICT;
CREATE INDEX outbox_lane ON outbox (lane, id);
`,
};
