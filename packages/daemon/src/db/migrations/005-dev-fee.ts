// The dev-fee payment of an order (reference-0.20.md §4.10, §7 `20261015`): claimed by one job run
// at a time, its payment hash and invoice persisted before paying so that a crash is resolved by
// asking Lightning by hash (never a second payment), and a per-order retry backoff.
import type { Migration } from './migration.ts';

export const devFee: Migration = {
  version: 5,
  name: 'dev-fee',
  sql: `
ALTER TABLE orders ADD COLUMN dev_fee_paid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN dev_fee_paid_at INTEGER;
ALTER TABLE orders ADD COLUMN dev_fee_claim TEXT;                 -- PENDING-<uuid>-<unix ts> of the run paying it
ALTER TABLE orders ADD COLUMN dev_fee_claimed_at INTEGER;
ALTER TABLE orders ADD COLUMN dev_fee_payment_hash TEXT;          -- set before paying, kept until the outcome is known
ALTER TABLE orders ADD COLUMN dev_fee_payment_request TEXT;       -- the BOLT-11 invoice of that hash
ALTER TABLE orders ADD COLUMN dev_fee_failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN dev_fee_next_attempt_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_dev_fee_unpaid ON orders (status) WHERE dev_fee > 0 AND dev_fee_paid = 0;
`,
};
