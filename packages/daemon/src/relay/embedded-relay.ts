// The node's embedded Nostr relay: @nostr-relay/core (relay logic) over its SQLite event
// repository, served by a `ws` WebSocketServer on a loopback address. This file only wires
// sockets to the library; frames are shape-checked first (incoming-message.ts), live delivery
// uses full NIP-01 matching (live-filter-guard.ts), and NIP-40 is completed on reads
// (expiring-event-repository.ts).
import { verifyEventSignature, wasmSecp } from '@mostro/protocol';
import { createOutgoingNoticeMessage, type Logger, LogLevel } from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import Database from 'better-sqlite3';
import { type WebSocket, WebSocketServer } from 'ws';
import { ConnectionDmLimit } from './dm-limits.ts';
import { ExpiringEventRepository } from './expiring-event-repository.ts';
import { parseIncomingMessage } from './incoming-message.ts';
import { IncomingQueue } from './incoming-queue.ts';
import { LiveFilterGuard } from './live-filter-guard.ts';
import { type SchnorrVerify, useSignatureCheck } from './signature-check.ts';
import { withStatementCache } from './statement-cache.ts';

export type EmbeddedRelayOptions = {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (default) picks a free ephemeral port. */
  port?: number;
  /** SQLite file for the events, or `':memory:'` (default). */
  dbPath?: string;
  /** Largest accepted websocket frame in bytes. Default 512 KiB. */
  maxMessageBytes?: number;
  /** Results of a filter without `limit` (the library caps explicit limits at 10×). Default 1000. */
  defaultLimit?: number;
  /** Open subscriptions per connection (the oldest is dropped beyond it). Default 256. */
  maxSubscriptionsPerClient?: number;
  /** Largest DM (kind 14 / 1059) frame one connection may publish, in bytes. Default 64 KiB. */
  dmMaxBytes?: number;
  /** DMs one connection may publish per minute (bursts up to that many). Default 600. */
  dmPerMinute?: number;
  /** How often expired events are deleted from the store. Default 60 s; 0 disables the timer. */
  purgeIntervalMs?: number;
  /**
   * The node's key(s): a connection that publishes a genuine event of one is served first
   * (relay/incoming-queue.ts), so the node's replies do not queue behind a flood of inbound junk,
   * and is not DM-limited; `updatePriorityAuthors` adds the trade keys the node knows (served
   * first, limited as anyone). Default none.
   */
  priorityAuthors?: string[];
  /** Receives the library's log lines. Default: warnings and errors to the console. */
  logger?: Logger;
  /**
   * BIP-340 verifier for incoming events. Default: libsecp256k1 in WebAssembly (`wasmSecp`);
   * pass `nobleSecp.schnorrVerify` for the pure-JS reference. Process-wide (signature-check.ts).
   */
  schnorrVerify?: SchnorrVerify;
};

export type EmbeddedRelay = {
  /** `ws://host:port` */
  url: string;
  port: number;
  /** Delete expired events now; returns how many. */
  purgeExpired(): number;
  /**
   * Adds and removes priority authors beyond the node's own (options.priorityAuthors, never
   * removed); a connection keeps a priority it earned.
   */
  updatePriorityAuthors(change: { added: string[]; removed: string[] }): void;
  /** Disconnect every client, stop listening, close the database. Idempotent. */
  close(): Promise<void>;
};

export async function startEmbeddedRelay(options: EmbeddedRelayOptions = {}): Promise<EmbeddedRelay> {
  const host = options.host ?? '127.0.0.1';
  useSignatureCheck(options.schnorrVerify ?? wasmSecp.schnorrVerify);
  const db = new Database(options.dbPath ?? ':memory:');
  db.pragma('journal_mode = WAL');
  // The relay stores public events and sealed messages, not the node's state: after a power loss it
  // may lack its last events (WAL + NORMAL never corrupts), and it saves an fsync per event.
  db.pragma('synchronous = NORMAL');
  const repository = new ExpiringEventRepository(withStatementCache(db), {
    defaultLimit: options.defaultLimit ?? 1000,
  });
  try {
    await repository.init();
  } catch (error) {
    db.close();
    throw error;
  }

  const guard = new LiveFilterGuard();
  const relay = new NostrRelay(repository, {
    ...(options.logger ? { logger: options.logger } : {}),
    logLevel: LogLevel.WARN,
    // A pool multiplexes every subscription of a node or client over one connection per relay.
    maxSubscriptionsPerClient: options.maxSubscriptionsPerClient ?? 256,
    // The library caches REQ results for 1 s by default: a REQ right after a publish would miss it.
    filterResultCacheTtl: 0,
  });
  relay.register(guard);

  const wss = new WebSocketServer({ host, port: options.port ?? 0, maxPayload: options.maxMessageBytes ?? 512 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
  } catch (error) {
    await repository.destroy();
    throw error;
  }
  wss.on('error', (error) => console.warn(`[relay] server error: ${error.message}`));

  const dmLimits = { maxBytes: options.dmMaxBytes ?? 65_536, perMinute: options.dmPerMinute ?? 600 };
  const incoming = new IncomingQueue();
  // The node's own key(s): their connection is the node's — served first and never DM-limited (the
  // limits are for strangers pushing DMs at the node, not for the node's replies). Known trade keys
  // (updatePriorityAuthors) are served first and limited as anyone.
  const ownAuthors = new Set(options.priorityAuthors ?? []);
  const priorityAuthors = new Set(ownAuthors);
  wss.on('connection', (ws: WebSocket, request) => {
    relay.handleConnection(ws, request.socket.remoteAddress);
    const dmLimit = new ConnectionDmLimit(dmLimits);
    // Priority from the first genuine event of a priority author on (a forged one earns nothing).
    let priority = false;
    let own = false;
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary
        ? ({ ok: false, reason: 'invalid: binary frames are not supported' } as const)
        : parseIncomingMessage(data.toString());
      if (!parsed.ok) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(createOutgoingNoticeMessage(parsed.reason)));
        return;
      }
      if (parsed.message[0] === 'EVENT') {
        const event = parsed.message[1];
        if (!own && ownAuthors.has(event.pubkey) && verifyEventSignature(event, wasmSecp)) own = priority = true;
        const refused = own ? null : dmLimit.check(event.kind, (data as Buffer).length);
        if (refused) {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(['OK', event.id, false, refused]));
          return;
        }
        if (!priority && priorityAuthors.has(event.pubkey)) priority = verifyEventSignature(event, wasmSecp);
      }
      const message = parsed.message;
      incoming.push(
        ws,
        () => {
          // Frames still queued when the relay closes are dropped, not run against a closed store.
          if (closing) return;
          relay.handleMessage(ws, message).catch((error: unknown) => {
            console.warn(`[relay] message handling failed: ${error instanceof Error ? error.message : String(error)}`);
          });
        },
        priority,
      );
    });
    ws.on('close', () => {
      guard.forget(ws);
      relay.handleDisconnect(ws);
    });
    // Errors (oversized frame, bad UTF-8, reset) end with a close event; nothing else to do.
    ws.on('error', () => {});
  });

  const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
  const purgeTimer =
    purgeIntervalMs > 0
      ? setInterval(() => {
          try {
            repository.purgeExpired();
          } catch (error) {
            console.warn(`[relay] purge failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }, purgeIntervalMs)
      : undefined;
  purgeTimer?.unref();

  const address = wss.address();
  if (typeof address === 'string' || address === null) throw new Error('relay: unexpected server address');
  const port = address.port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      if (purgeTimer) clearInterval(purgeTimer);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await relay.destroy();
      await repository.destroy();
    })();
    return closing;
  };

  return {
    url,
    port,
    purgeExpired: () => repository.purgeExpired(),
    updatePriorityAuthors: ({ added, removed }) => {
      for (const key of added) priorityAuthors.add(key);
      for (const key of removed) if (!ownAuthors.has(key)) priorityAuthors.delete(key);
    },
    close,
  };
}
