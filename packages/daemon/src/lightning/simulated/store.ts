// The simulator's SQLite file: one schema, versioned with PRAGMA user_version so a later version
// can migrate an old file in place. Money columns are msat integers read back as BigInt.
import Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  // 1: wallets, invoices, payments, failure rules, and the network's single state row.
  `
  CREATE TABLE network (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    height INTEGER NOT NULL,
    clock_anchor INTEGER NOT NULL,   -- unix seconds of the last block the clock produced
    minted_msat INTEGER NOT NULL,    -- all sats the faucet ever created
    fees_msat INTEGER NOT NULL       -- routing fees paid to the (simulated) routing nodes
  );
  CREATE TABLE wallets (
    name TEXT PRIMARY KEY,
    node_key TEXT NOT NULL,
    pubkey TEXT NOT NULL UNIQUE,
    balance_msat INTEGER NOT NULL CHECK (balance_msat >= 0),
    created_at INTEGER NOT NULL
  );
  CREATE TABLE invoices (
    hash TEXT PRIMARY KEY,
    wallet TEXT NOT NULL REFERENCES wallets(name),
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'hold')),
    request TEXT NOT NULL,
    amount_msat INTEGER,
    memo TEXT NOT NULL,
    preimage TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    cltv_delta INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'settled', 'canceled')),
    payer TEXT REFERENCES wallets(name),
    received_msat INTEGER,
    htlc_expiry_height INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX invoices_by_wallet ON invoices (wallet, created_at);
  CREATE INDEX invoices_by_state ON invoices (state);
  CREATE TABLE payments (
    wallet TEXT NOT NULL REFERENCES wallets(name),
    hash TEXT NOT NULL,
    request TEXT NOT NULL,
    destination TEXT NOT NULL,
    amount_msat INTEGER NOT NULL,
    fee_msat INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'succeeded', 'failed')),
    preimage TEXT,
    failure TEXT,
    stuck INTEGER NOT NULL DEFAULT 0,
    htlc_expiry_height INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (wallet, hash)
  );
  CREATE INDEX payments_by_hash ON payments (hash);
  CREATE INDEX payments_by_state ON payments (state);
  CREATE TABLE failure_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT,
    destination TEXT,
    failure TEXT NOT NULL,
    remaining INTEGER,               -- NULL: until cleared
    CHECK ((hash IS NULL) <> (destination IS NULL))
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating or migrating) the simulator database; `:memory:` for a throwaway network. */
export function openStore(path: string, init: { height: number; now: number }): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // a simulated payment is still a payment: survive power loss too
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.defaultSafeIntegers(true);
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`simulator database ${path} has schema ${version}, newer than this code (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.prepare(
      'INSERT OR IGNORE INTO network (id, height, clock_anchor, minted_msat, fees_msat) VALUES (1, ?, ?, 0, 0)',
    ).run(init.height, init.now);
  })();
  return db;
}
