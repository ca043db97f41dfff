// The NIP-69 bucket of the last 38383 revision published for each order, so that an order which
// left the book publishes `in-progress` once and not at every later step of its trade.
import type { Migration } from './migration.ts';

export const orderRevisions: Migration = {
  version: 2,
  name: 'order-revisions',
  sql: `
CREATE TABLE order_revisions (
  order_id TEXT PRIMARY KEY REFERENCES orders (id),
  bucket TEXT NOT NULL  -- 's' of the last published revision: pending, in-progress, success, canceled…
) STRICT;
`,
};
