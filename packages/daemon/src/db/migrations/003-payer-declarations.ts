// The buyer's payer declaration per order (reference-0.20.md §4.5, §7 `order_payer_declarations`).
// Only the hash of the payer's details is stored; the history a seller sees is derived from the
// successful orders that carry the same hash.
import type { Migration } from './migration.ts';

export const payerDeclarations: Migration = {
  version: 3,
  name: 'payer-declarations',
  sql: `
CREATE TABLE order_payer_declarations (
  order_id TEXT PRIMARY KEY REFERENCES orders (id),
  payment_hash TEXT NOT NULL,                  -- sha256 of the canonical payer details (hex)
  declared_at INTEGER NOT NULL,
  buyer_pubkey TEXT NOT NULL                   -- the buyer trade key that declared it
) STRICT;
CREATE INDEX order_payer_declarations_hash ON order_payer_declarations (payment_hash);
`,
};
