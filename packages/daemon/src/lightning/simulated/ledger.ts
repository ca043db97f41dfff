// The simulator's tables as the network reads and writes them: one prepared statement per SQL text,
// the network's state row, invoice, payment and wallet rows. No rules here: the callers (network.ts,
// invoices.ts, route.ts, htlc.ts, expiry.ts) decide, all inside the network's one transaction.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type Database from 'better-sqlite3';
import type { InvoiceRow, PaymentRow, WalletRow } from './rows.ts';
import type { SimClock, SimInvoiceState, WalletView } from './types.ts';

export class Ledger {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly clock: SimClock,
    readonly feeBaseMsat: number,
    readonly feePpm: number,
    readonly holdExpiryDelta: number,
  ) {}

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
  sql(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  state(): { height: bigint; clock_anchor: bigint; minted_msat: bigint; fees_msat: bigint } {
    return this.sql('SELECT * FROM network WHERE id = 1').get() as {
      height: bigint;
      clock_anchor: bigint;
      minted_msat: bigint;
      fees_msat: bigint;
    };
  }

  ensureWallet(name: string): WalletRow {
    const row = this.sql('SELECT * FROM wallets WHERE name = ?').get(name) as WalletRow | undefined;
    if (row) return row;
    const key = secp256k1.utils.randomSecretKey();
    const created: WalletRow = {
      name,
      node_key: bytesToHex(key),
      pubkey: bytesToHex(secp256k1.getPublicKey(key, true)),
      balance_msat: 0n,
    };
    this.sql('INSERT INTO wallets (name, node_key, pubkey, balance_msat, created_at) VALUES (?, ?, ?, 0, ?)').run(
      name,
      created.node_key,
      created.pubkey,
      this.clock.now(),
    );
    return created;
  }

  walletView(w: WalletRow): WalletView {
    const fresh = this.sql('SELECT balance_msat FROM wallets WHERE name = ?').get(w.name) as
      | { balance_msat: bigint }
      | undefined;
    const inFlight = this.sql(
      "SELECT SUM(amount_msat + fee_msat) AS v FROM payments WHERE wallet = ? AND state = 'in_flight'",
    ).get(w.name) as { v: bigint | null };
    return {
      name: w.name,
      pubkey: w.pubkey,
      balanceMsat: fresh?.balance_msat ?? w.balance_msat,
      outgoingInFlightMsat: inFlight.v ?? 0n,
    };
  }

  invoice(hash: string): InvoiceRow | undefined {
    return this.sql('SELECT * FROM invoices WHERE hash = ?').get(hash) as InvoiceRow | undefined;
  }

  payment(wallet: string, hash: string): PaymentRow | undefined {
    return this.sql('SELECT * FROM payments WHERE wallet = ? AND hash = ?').get(wallet, hash) as PaymentRow | undefined;
  }

  setInvoiceState(hash: string, state: SimInvoiceState): void {
    this.sql('UPDATE invoices SET state = ?, updated_at = ? WHERE hash = ?').run(state, this.clock.now(), hash);
  }
}
