// Everything a handler may use. Handlers get it as their first argument and touch the outside world
// only through it, so tests can build one around a real database and a real relay.
import type { Message } from '@mostro/protocol';
import type { Clock } from '../clock.ts';
import type { Settings } from '../config/index.ts';
import type { DisputeRow } from '../db/disputes.ts';
import type { Db } from '../db/open.ts';
import type { OrderRow } from '../db/orders.ts';
import type { UserRow } from '../db/users.ts';
import type { Escrow } from '../escrow/ports.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import type { IssuerKey } from '../reputation/issuer.ts';
import type { Outbox } from './outbox.ts';
import type { Request } from './request.ts';

export type PriceQuote = { ok: true; price: number } | { ok: false; reason: 'price_too_stale' };

export interface Publisher {
  /** Publishes the order's 38383 revision if its status has a NIP-69 bucket (§5.1). */
  order(order: OrderRow): Promise<void>;
  dispute(dispute: DisputeRow): Promise<void>;
  /** Publishes a 38384 rating event showing `user`'s aggregate, `d` = the rater's trade key. */
  rating(d: string, user: UserRow): Promise<void>;
}

export interface Logger {
  info(line: string, detail?: unknown): void;
  warn(line: string, detail?: unknown): void;
  error(line: string, detail?: unknown): void;
  debug(line: string, detail?: unknown): void;
}

export interface AppContext {
  db: Db;
  settings: Settings;
  clock: Clock;
  nodePubkey: string;
  outbox: Outbox;
  publish: Publisher;
  /** Fiat per 1 BTC from the price manager, or stale. */
  quote(fiatCode: string): PriceQuote;
  lightning: LightningBackend;
  log: Logger;
  /** Escrow operations (hold invoices, payouts); set by the escrow module. */
  escrow: Escrow;
  /** The LND sync monitor (health/lnd-sync.ts); absent = payouts never wait on it. */
  lndSync?: { paymentsDeferred(): boolean };
  /** The reputation issuer key (`[reputation_export]`), loaded from the environment; absent = no export. */
  reputationIssuer?: IssuerKey | null;
}

/** Resolves with the order it created when the request did not name one (new-order), for the log. */
// biome-ignore lint/suspicious/noConfusingVoidType: most handlers create nothing and return nothing
export type Handler = (ctx: AppContext, request: Request) => Promise<OrderRow | void>;

export type { Escrow, Message };
