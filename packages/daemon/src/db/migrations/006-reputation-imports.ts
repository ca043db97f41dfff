// Reputation portability (reference-0.20.md §4.4, §7 `20261003`, `20261020`). Users keep their
// native figures apart from imported ones (an export carries native figures only, and a revoked
// import is subtracted exactly); every import is recorded once per (issuer, subject) and per
// (issuer, identity); rebind authorisations are remembered until they expire (no replay).
import type { Migration } from './migration.ts';

export const reputationImports: Migration = {
  version: 6,
  name: 'reputation-imports',
  sql: `
ALTER TABLE users ADD COLUMN seeded_reviews INTEGER NOT NULL DEFAULT 0;      -- ratings that came with imports
ALTER TABLE users ADD COLUMN seeded_rating_sum REAL NOT NULL DEFAULT 0;     -- their sum (rating × reviews)
ALTER TABLE users ADD COLUMN native_rating_sum REAL NOT NULL DEFAULT 0;     -- sum of the votes received here
ALTER TABLE users ADD COLUMN native_created_at INTEGER;                     -- created_at before any import
ALTER TABLE users ADD COLUMN reputation_exported_to TEXT;                   -- the identity this account's export is bound to
ALTER TABLE users ADD COLUMN reputation_exported_at INTEGER;
UPDATE users SET native_rating_sum = mean_rating * total_reviews, native_created_at = created_at;

CREATE TABLE reputation_imports (
  attestation_id TEXT PRIMARY KEY,             -- the 38388 event id
  issuer TEXT NOT NULL,                        -- the trust-list entry's name
  issuer_key TEXT NOT NULL,                    -- the key that signed it
  subject TEXT NOT NULL,                       -- the issuer's account id
  identity_pubkey TEXT NOT NULL,
  trade_pubkey TEXT,                           -- the trade key that imported (its 38384 is corrected on revoke)
  reviews INTEGER NOT NULL,
  rating_hundredths INTEGER NOT NULL,
  since INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,                -- this node's clock
  UNIQUE (issuer, subject),
  UNIQUE (issuer, identity_pubkey)
) STRICT;
CREATE INDEX reputation_imports_key ON reputation_imports (issuer_key, imported_at);
CREATE INDEX reputation_imports_identity ON reputation_imports (identity_pubkey);

CREATE TABLE reputation_issuer_keys (
  issuer_key TEXT PRIMARY KEY,
  issuer TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL
) STRICT;

CREATE TABLE reputation_rebinds (
  id TEXT PRIMARY KEY,                         -- the rebind authorisation's event id
  valid_until INTEGER NOT NULL
) STRICT;
`,
};
