// A user driven through the SDK (@mostro/client) in the test process: its own session (mnemonic,
// trade keys), relay pool, chat and simulated wallet. The node stays a separate process.
import {
  MemorySessionStore,
  MostroClient,
  type PrivacyMode,
  Session,
  TradeChat,
  type TradeRecord,
} from '@mostro/client';
import { nodeRelayPool } from '@mostro/nostr/node';
import { SimWallet } from './mostrod.ts';
import { until } from './processes.ts';

/** Cheap KDF: the sessions of a test run live in memory. */
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface SdkUser {
  name: string;
  privacy: PrivacyMode;
  session: Session;
  client: MostroClient;
  chat: TradeChat;
  wallet: SimWallet | null;
  close(): void;
  /** Syncs with the relay until the trade satisfies `ok`. */
  waitTrade(orderId: string, what: string, ok: (t: TradeRecord) => boolean, timeoutMs?: number): Promise<TradeRecord>;
}

export async function sdkUser(
  name: string,
  o: { relays: string[]; node: string; privacy: PrivacyMode; walletUrl?: string | null; mnemonic?: string },
): Promise<SdkUser> {
  const session = await Session.create(new MemorySessionStore(), 'pw', {
    scrypt: FAST_SCRYPT,
    privacy: o.privacy,
    mnemonic: o.mnemonic,
  });
  const pool = nodeRelayPool({ relays: o.relays, connectTimeoutMs: 5000 });
  const client = new MostroClient({ session, pool, node: o.node, privacy: o.privacy, timeoutMs: 20_000 });
  const chat = new TradeChat(session, pool);
  const wallet = o.walletUrl ? new SimWallet(o.walletUrl, name) : null;
  return {
    name,
    privacy: o.privacy,
    session,
    client,
    chat,
    wallet,
    close: () => pool.close(),
    async waitTrade(orderId, what, ok, timeoutMs = 30_000) {
      let last: TradeRecord | null = null;
      return until(
        `${name}: ${what} (order ${orderId})`,
        async () => {
          await client.sync();
          last = client.trade(orderId);
          return ok(last) ? last : undefined;
        },
        timeoutMs,
        250,
      ).catch((e: Error) => {
        const l = last as TradeRecord | null;
        throw new Error(
          `${e.message}; last seen: ${JSON.stringify(l && { status: l.status, next: l.next, lastAction: l.lastAction, amountSats: l.amountSats, lastError: l.lastError })}`,
        );
      });
    },
  };
}
