// Payer declarations and the payment history derived from them: how often the payer behind a hash
// paid in trades that ended in success on this node, and with how many different sellers.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface PayerDeclarationRow {
  order_id: string;
  payment_hash: string;
  declared_at: number;
  buyer_pubkey: string;
}

/** Last write wins (the buyer may correct a declaration until fiat-sent). */
export function declarePayer(db: Db, row: PayerDeclarationRow): void {
  stmt(
    db,
    `INSERT INTO order_payer_declarations (order_id, payment_hash, declared_at, buyer_pubkey)
     VALUES (@order_id, @payment_hash, @declared_at, @buyer_pubkey)
     ON CONFLICT (order_id) DO UPDATE SET payment_hash = excluded.payment_hash,
       declared_at = excluded.declared_at, buyer_pubkey = excluded.buyer_pubkey`,
  ).run(row);
}

export function getPayerDeclaration(db: Db, orderId: string): PayerDeclarationRow | undefined {
  return stmt(db, 'SELECT * FROM order_payer_declarations WHERE order_id = ?').get(orderId) as
    | PayerDeclarationRow
    | undefined;
}

export interface PayerHistoryCounts {
  successful_trades: number;
  distinct_counterparties: number;
  experienced_counterparties: number;
  first_success_at: number | null;
  last_success_at: number | null;
}

/**
 * The history of the payer behind `paymentHash`, other than `exceptOrderId`. A seller counts once
 * (identity, or trade key for a full-private seller); it is experienced with at least `minTrades`
 * successful trades of its own and a first order at least `minDays` before `now`.
 */
export function payerHistory(
  db: Db,
  paymentHash: string,
  exceptOrderId: string,
  rules: { minTrades: number; minDays: number; now: number },
): PayerHistoryCounts {
  const trades = stmt(
    db,
    `SELECT o.updated_at AS at, COALESCE(o.master_seller_pubkey, o.seller_pubkey) AS seller
       FROM order_payer_declarations d JOIN orders o ON o.id = d.order_id
      WHERE d.payment_hash = ? AND o.status = 'success' AND o.id != ?`,
  ).all(paymentHash, exceptOrderId) as { at: number; seller: string }[];
  const sellers = [...new Set(trades.map((t) => t.seller))];
  const sellerStats = stmt(
    db,
    `SELECT COUNT(*) AS n, MIN(created_at) AS first FROM orders
      WHERE status = 'success' AND (master_seller_pubkey = @k OR master_buyer_pubkey = @k
            OR seller_pubkey = @k OR buyer_pubkey = @k)`,
  );
  const experienced = sellers.filter((k) => {
    const s = sellerStats.get({ k }) as { n: number; first: number | null };
    return s.n >= rules.minTrades && s.first !== null && rules.now - s.first >= rules.minDays * 86_400;
  });
  const times = trades.map((t) => t.at);
  return {
    successful_trades: trades.length,
    distinct_counterparties: sellers.length,
    experienced_counterparties: experienced.length,
    first_success_at: times.length > 0 ? Math.min(...times) : null,
    last_success_at: times.length > 0 ? Math.max(...times) : null,
  };
}
