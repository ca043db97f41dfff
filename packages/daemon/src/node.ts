// Composition of a running node: database, relays, Lightning, prices, the intake and its handlers,
// the publisher and the periodic jobs. `startNode` returns only once the node has reconciled its
// escrows with Lightning and is listening; `stop` undoes everything in reverse order.

import { join, resolve } from 'node:path';
import type { RelayPool } from '@mostro/nostr';
import { nodeRelayPool } from '@mostro/nostr/node';
import {
  ConversationKeyCache,
  type NostrEvent as ProtocolEvent,
  verifyEventSignature,
  wasmSecp,
  wrapMessage,
} from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { npubEncode } from 'nostr-tools/nip19';
import { getPublicKey } from 'nostr-tools/pure';
import type { AppContext, Escrow, Logger } from './app/context.ts';
import { createEscrow, escrowOf } from './app/escrow.ts';
import { handlers } from './app/handlers.ts';
import { createOutbox } from './app/outbox.ts';
import { reconcileBonds } from './bonds/jobs.ts';
import { stopBondWatches } from './bonds/watch.ts';
import { type Clock, systemClock } from './clock.ts';
import { nodeSecretKey, type Settings } from './config/index.ts';
import { openDatabase } from './db/open.ts';
import { markProcessed } from './db/processed-events.ts';
import { getUser } from './db/users.ts';
import { checkLnNode } from './health/ln-node-guard.ts';
import { LndSyncMonitor } from './health/lnd-sync.ts';
import { getMaintenance } from './health/maintenance.ts';
import { HealthReporter } from './health/reporter.ts';
import { cryptoPoolSize, startCryptoPool } from './intake/crypto-pool.ts';
import { examineEvent } from './intake/examine.ts';
import { openWith } from './intake/open.ts';
import { ActiveKeys, PendingKeyChange, RecentIds, SenderRateLimit } from './intake/spam-gate.ts';
import { checkTradeIndex } from './intake/trade-index.ts';
import type { LightningBackend } from './lightning/backend.ts';
import { instrumentLightning } from './metrics/lightning.ts';
import { createMetrics, type Metrics } from './metrics/registry.ts';
import { type NodeAdmin, startNodeAdmin } from './node/admin.ts';
import { createCatchUp } from './node/catch-up.ts';
import { createIntakeLoop, type IntakeLoop } from './node/intake.ts';
import { type JobDeps, MOSTRO_VERSION, publishInfo, scheduleJobs } from './node/jobs.ts';
import { type LightningSetup, setupLightning } from './node/lightning.ts';
import { listenOn, StartupError } from './node/listen.ts';
import { consoleLogger } from './node/log.ts';
import { serveNodeMetrics } from './node/metrics.ts';
import { comebackWatcher, republishAfterOutage } from './node/relay-back.ts';
import { setupReputation } from './node/reputation.ts';
import { priceManagerFromSettings } from './price/index.ts';
import { quoteWithPegged } from './price/pegged.ts';
import { createDelivery } from './publish/delivery.ts';
import { createPublisher } from './publish/publisher.ts';
import { type EmbeddedRelay, startEmbeddedRelayThread } from './relay/index.ts';
import { reputationExportOffered, reputationImportOffered } from './reputation/offered.ts';
import type { Scheduler } from './scheduler.ts';

export interface NodeOptions {
  settings: Settings;
  /** Directory of the config; relative paths in the settings resolve against it. */
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  /** Replaces the backend the settings describe (tests inject a shared simulator or LND). */
  lightning?: LightningBackend;
  /** Replaces the escrow (never in production; handler tests use their own context instead). */
  escrow?: (ctx: AppContext) => Escrow;
}

export interface MostroNode {
  pubkey: string;
  npub: string;
  relays: string[];
  embeddedRelayUrl: string | null;
  walletUrl: string | null;
  simulated: boolean;
  ctx: AppContext;
  /** Counts of intake outcomes, for tests and the status line. */
  stats: Record<string, number>;
  /** The node's Prometheus metrics (also served over HTTP when `metrics.enabled`). */
  metrics: Metrics;
  /** `http://host:port` of /metrics and /healthz, or null when not served. */
  metricsUrl: string | null;
  /** The admin operations, the gRPC (when `[rpc].enabled`) and the console's HTTP handler. */
  admin: NodeAdmin;
  /** Resolves when every event received so far has been handled and its replies published. */
  idle(): Promise<void>;
  banner(): string;
  stop(): Promise<void>;
}

export async function startNode(options: NodeOptions): Promise<MostroNode> {
  const { settings } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger();
  const dataDir = resolve(options.dataDir);
  const secretKey = nodeSecretKey(settings);
  const pubkey = getPublicKey(secretKey);
  const closers: (() => Promise<void> | void)[] = [];
  let intake: IntakeLoop | undefined;
  let scheduler: Scheduler | undefined;
  const stop = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        log.warn('stop: a component did not close cleanly', error);
      }
    }
  };

  try {
    const metrics = createMetrics();
    const { db } = openDatabase(resolve(dataDir, settings.database.path));
    closers.push(() => {
      db.close();
    });

    let embedded: EmbeddedRelay | null = null;
    if (settings.relay.embedded) {
      const { host, port } = settings.relay;
      embedded = await listenOn({ section: 'relay', what: 'the embedded relay', host, port }, () =>
        startEmbeddedRelayThread({
          host,
          port,
          dbPath: join(dataDir, 'relay.db'),
          dmMaxBytes: settings.relay.dm_max_bytes,
          dmPerMinute: settings.relay.dm_per_minute,
          priorityAuthors: [pubkey],
        }),
      );
      closers.push(() => embedded?.close());
    }
    const relays = [...(embedded ? [embedded.url] : []), ...settings.nostr.relays];
    if (relays.length === 0) throw new Error('nostr.relays: no relay configured and the embedded relay is off');

    let lightning: LightningSetup;
    if (options.lightning) {
      const backend = options.lightning;
      lightning = { backend, simulated: false, walletUrl: null, network: null, close: async () => {} };
    } else {
      // Only the simulated network listens (its wallet API); LND is a client connection.
      const { host, port } = settings.wallet;
      lightning = await listenOn({ section: 'wallet', what: 'the simulated wallet API', host, port }, () =>
        setupLightning(settings, dataDir, options.clock),
      );
      closers.push(() => lightning.close());
    }
    lightning = { ...lightning, backend: instrumentLightning(lightning.backend, metrics) };
    const info = await lightning.backend.getInfo();
    const networks = info.ok ? info.value.networks : null;
    const simulated = info.ok ? info.value.simulated : lightning.simulated;
    // Open escrows live in one LND: refuse another one before touching anything (§4.1).
    if (info.ok && !simulated) {
      const guard = checkLnNode(db, info.value.pubkey, settings.lightning.allow_node_change, clock.now());
      if (!guard.ok) throw new StartupError(guard.error);
      if (guard.warning) log.warn(guard.warning);
    }

    const prices = priceManagerFromSettings(settings.price, clock);
    await prices.update();

    const cryptoWorkers = cryptoPoolSize(settings.intake.crypto_workers ?? null);
    const pool: RelayPool = nodeRelayPool({
      relays,
      // Inline, verified here, before the pool's per-id dedupe, so a forged copy (same id, bad
      // signature) from one relay cannot censor the genuine event from another. With crypto workers
      // the intake verifies off this thread and drops copies itself (`everyCopy` below).
      verifyEvent: (event) =>
        (intake?.worthVerifying(event as NostrEvent) ?? true) &&
        (cryptoWorkers > 0 || verifyEventSignature(event as ProtocolEvent, wasmSecp)),
    });
    closers.push(() => pool.close());
    // Relay (re)connections, watched from the start (the first connection may come before the rest
    // of the node is built): catch-up windows, and the republication to a relay that comes back.
    const catchUp = createCatchUp({ db, clock, seconds: settings.nostr.catch_up_seconds, relays });
    let onComeback: (url: string) => void = () => {};
    const watch = comebackWatcher((url) => onComeback(url));
    const relayStatus = (url: string, status: string) => {
      if (status === 'connected') catchUp.connected(url);
      watch(url, status);
    };
    for (const [url, status] of Object.entries(pool.statuses())) relayStatus(url, status);
    closers.push(pool.onStatus((change) => relayStatus(change.url, change.status)));

    // One cache for both directions: the key that opened a request also wraps its reply.
    const convKeyCache = new ConversationKeyCache(4096);
    // Everything the node sends goes through the durable outbox; the delivery sends it in the
    // background until a relay acknowledges it, and resumes what a previous run left unsent.
    const delivery = createDelivery({
      db,
      wrap: async (to, message) =>
        wrapMessage({
          transport: to.transport,
          message,
          tradeKey: secretKey,
          identityKey: secretKey,
          recipient: to.pubkey,
          signed: false,
          secp: wasmSecp,
          convKeyCache,
          // NIP-40 in both transports ([expiration] dm_days): relays may forget our DMs after that.
          expiration: clock.now() + settings.expiration.dm_days * 86_400,
        }) as NostrEvent,
      publish: async (event) => {
        const results = await pool.publish(event);
        return results.map((r) => (r.ok ? { ok: true } : { ok: false, reason: `${r.url}: ${r.code} ${r.message}` }));
      },
      log: (line) => log.warn(line),
      metrics: { backlog: (n) => metrics.outboxBacklog.set(n), retry: () => metrics.outboxRetries.inc() },
    });
    closers.push(() => delivery.stop());
    const outbox = createOutbox({ db, clock, wake: () => delivery.wake(), drain: () => delivery.drain() });
    const publisher = createPublisher({
      db,
      settings,
      clock,
      nodeSecretKey: secretKey,
      nodePubkey: pubkey,
      secp: wasmSecp,
      relays: () => relays,
      networks: () => networks,
      send: (event) => outbox.event(event),
    });

    const base: Omit<AppContext, 'escrow'> = {
      db,
      settings,
      clock,
      nodePubkey: pubkey,
      outbox,
      publish: publisher,
      quote: (fiat: string) =>
        quoteWithPegged(fiat, settings.price.pegged, (code) => {
          const r = prices.getPrice(code);
          return r.ok
            ? { ok: true as const, price: r.price }
            : { ok: false as const, reason: 'price_too_stale' as const };
        }),
      lightning: lightning.backend,
      log,
    };
    // The escrow needs the whole context (it notifies parties and publishes), so it is attached last.
    const ctx = base as AppContext;
    ctx.escrow = (options.escrow ?? createEscrow)(ctx);
    const lndSync = new LndSyncMonitor({ db, clock, lightning: lightning.backend, settings: settings.health });
    ctx.lndSync = lndSync;
    ctx.reputationIssuer = setupReputation(settings, db, process.env, log);
    // Relays: what the last health publication showed (the embedded relay is always there).
    let relaysOk: boolean | null = settings.relay.embedded ? true : null;
    const healthReporter = () =>
      new HealthReporter({
        db,
        clock,
        lndSync,
        nodePubkey: pubkey,
        nodeSecretKey: secretKey,
        instanceName: settings.mostro.name ?? null,
        version: MOSTRO_VERSION,
        network: () => (info.ok ? (info.value.networks[0] ?? null) : null),
        settings: settings.health,
        relaysConnected: () => (relaysOk === null ? null : relaysOk ? 1 : 0),
        publish: async (template) => {
          try {
            await publisher.event(template);
            relaysOk = true;
          } catch (error) {
            relaysOk = false;
            log.warn('health: event not published', error);
          }
        },
      });
    // Payouts and their notifications finish after the handler returns: drain them before the
    // database closes (closers run in reverse order).
    closers.push(async () => {
      await intake?.idle();
      if (!options.escrow) {
        const escrow = escrowOf(ctx);
        await escrow.idle();
        escrow.close();
      }
      stopBondWatches(ctx);
      await outbox.drain();
    });

    // Money first: settle what Lightning did while we were away before taking new messages.
    await ctx.escrow.reconcile();
    await reconcileBonds(ctx);

    // The embedded relay serves the node's own connection and the known trade keys first; what
    // changed crosses to its thread at most once per event-loop turn.
    const keyChanges = new PendingKeyChange();
    const activeKeys = new ActiveKeys((change) => {
      if (!embedded) return;
      if (keyChanges.record(change)) {
        setImmediate(() => embedded?.updatePriorityAuthors(keyChanges.take()));
      }
    });
    const recentIds = new RecentIds();
    const rateLimit = new SenderRateLimit(settings.mostro.max_messages_per_minute);
    const openOptions = { nodeSecretKey: secretKey, nodePubkey: pubkey, secp: wasmSecp, convKeyCache };
    const open = openWith(openOptions);
    const cryptoPool =
      cryptoWorkers > 0
        ? await startCryptoPool({
            size: cryptoWorkers,
            nodeSecretKey: secretKey,
            nodePubkey: pubkey,
            inline: (event) => examineEvent(openOptions, event),
            onWorkerError: (error) => log.warn('intake: a crypto worker failed; it is replaced', error),
          })
        : undefined;
    if (cryptoPool) closers.push(() => cryptoPool.close());
    const powFirstContact = settings.mostro.pow_first_contact ?? settings.mostro.pow;

    const loop = createIntakeLoop({
      ctx,
      handlers,
      activeKeys,
      metrics,
      catchUp,
      cryptoPool,
      onPowChange: () => void scheduler?.runNow('publish-info'),
      deps: {
        pow: settings.mostro.pow,
        powFirstContact,
        now: () => clock.now(),
        // Inline, the relay pool delivers only events whose id and signature it verified (above);
        // with crypto workers the loop replaces this with the workers' verdict.
        verifyOuter: () => true,
        open,
        recentIds,
        activeKeys,
        rateLimit,
        nowMs: () => clock.nowMs(),
        markProcessed: (id) => markProcessed(db, id, clock.now()),
        checkTradeIndex: (request) => checkTradeIndex(request, getUser(db, request.identity)?.last_trade_index ?? null),
        maintenance: () => getMaintenance(db).enabled,
        reputationOffered: (action) =>
          action === 'export-reputation' ? reputationExportOffered(ctx) : reputationImportOffered(ctx),
      },
    });
    intake = loop;
    closers.push(() => loop.stop());
    const subscription = pool.subscribe(
      catchUp.filters(pubkey),
      { onevent: (event, relayUrl) => loop.arrive(event, relayUrl) },
      { everyCopy: cryptoWorkers > 0 },
    );
    closers.push(() => subscription.close());

    const jobDeps: JobDeps = {
      ctx,
      publisher,
      prices,
      activeKeys,
      lightning: lightning.backend,
      relays,
      nodeInfo: info.ok ? info.value : null,
      firstContactPow: () => loop.powFirstContact(),
      log,
      lndSync,
      health: healthReporter(),
    };
    const jobs = scheduleJobs(jobDeps);
    scheduler = jobs;
    onComeback = (url) => {
      delivery.retryNow();
      log.info(`relay ${url} is back: republishing open orders, info and relay list`);
      void republishAfterOutage({ db, publisher, publishInfo: () => publishInfo(jobDeps), relays, log }).catch(
        (error) => log.warn('republish after an outage failed', error),
      );
    };
    jobs.start();
    closers.push(() => jobs.stop());
    const healthDeps = { db, pool, lightning: lightning.backend };
    const metricsServer = await serveNodeMetrics(settings, metrics, healthDeps, log);
    closers.push(() => metricsServer?.close());
    const admin = await startNodeAdmin({
      ctx,
      handlers,
      exclusive: (work) => loop.exclusive(work),
      republishInfo: async () => {
        await publishInfo(jobDeps);
        // The health event carries the mode too: re-evaluated now instead of at its next tick.
        void jobs.runNow('health');
      },
      version: MOSTRO_VERSION,
      lnNodePubkey: info.ok && !simulated ? info.value.pubkey : '',
      metrics,
      healthDeps,
      log,
    });
    closers.push(() => admin.close());
    await publisher.profile();

    return {
      pubkey,
      npub: npubEncode(pubkey),
      relays,
      embeddedRelayUrl: embedded?.url ?? null,
      walletUrl: lightning.walletUrl,
      simulated,
      ctx,
      stats: loop.stats,
      metrics,
      metricsUrl: metricsServer?.url ?? null,
      admin,
      async idle() {
        await loop.idle();
        if (!options.escrow) await escrowOf(ctx).idle();
        await loop.idle();
        await outbox.drain();
      },
      banner() {
        const lines = [
          `mostrod is running`,
          `  node:   ${npubEncode(pubkey)}`,
          `  relays: ${relays.join(', ')}`,
          `  data:   ${dataDir}`,
        ];
        if (admin.grpc) lines.push(`  admin:  gRPC ${admin.grpc.url}`);
        if (simulated) {
          lines.push(`  wallet: ${lightning.walletUrl ?? '(simulated, no wallet API)'}`);
          lines.push('  LIGHTNING IS SIMULATED: no real money moves; sats come from a faucet and are worth nothing.');
        }
        if (prices.simulated) lines.push('  PRICES ARE SIMULATED: fixed prices from the config, not a market.');
        return lines.join('\n');
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
