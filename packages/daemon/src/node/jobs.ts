// The node's periodic jobs. Escrow jobs (expiry, timeouts, CLTV guardian, payout retries) come from
// src/jobs/; the ones here keep the node's public face current.

import { ORDER_STATUSES } from '@mostro/protocol';
import type { AppContext, Logger } from '../app/context.ts';
import { bondKeys } from '../bonds/known.ts';
import { bondPolicy } from '../bonds/policy.ts';
import type { Settings } from '../config/index.ts';
import { listDisputesByStatus } from '../db/disputes.ts';
import { listOrdersByStatus, TERMINAL_ORDER_STATUSES } from '../db/orders.ts';
import { pruneProcessed } from '../db/processed-events.ts';
import { createHttpLnurlResolver, type LnurlResolver } from '../escrow/lnurl.ts';
import { type LndSyncMonitor, SYNC_POLL_SECONDS } from '../health/lnd-sync.ts';
import { getMaintenance } from '../health/maintenance.ts';
import { HEALTH_EVAL_SECONDS, type HealthReporter } from '../health/reporter.ts';
import { FRESHNESS_SECONDS, processedRetentionSeconds } from '../intake/freshness.ts';
import type { ActiveKeys } from '../intake/spam-gate.ts';
import { devFeeDestination, payDevFees } from '../jobs/dev-fee.ts';
import { ESCROW_JOBS } from '../jobs/index.ts';
import type { LightningBackend, NodeInfo } from '../lightning/backend.ts';
import type { PriceManager } from '../price/index.ts';
import type { NodePublisher } from '../publish/publisher.ts';
import { publishQueuedRatings } from '../publish/rating.ts';
import { Scheduler } from '../scheduler.ts';
import { reputationInfo } from './reputation.ts';

/** This implementation's own version (packages/daemon/package.json; a unit test keeps them equal). */
export const IMPLEMENTATION_VERSION = '0.1.0';
/** The reference mostrod release whose protocol, settings and admin RPC this node implements. */
export const REFERENCE_VERSION = '0.20.2';
/**
 * The version the node reports (info and health events, admin GetVersion): the reference release
 * it is current with, and this implementation as SemVer build metadata. Clients gate features on
 * it (mostro-cli refuses admcancelpending below 0.18.7); build metadata takes no part in a SemVer
 * comparison, so a gate sees 0.20.2 and a person reading it sees which software answers.
 */
export const MOSTRO_VERSION = `${REFERENCE_VERSION}+mostro-ts.${IMPLEMENTATION_VERSION}`;

export interface JobDeps {
  ctx: AppContext;
  publisher: NodePublisher;
  prices: PriceManager;
  activeKeys: ActiveKeys;
  lightning: LightningBackend;
  relays: readonly string[];
  nodeInfo: NodeInfo | null;
  /** The first-contact PoW demanded now (it rises under load); default the configured one. */
  firstContactPow?: () => number;
  log: Logger;
  lndSync?: LndSyncMonitor;
  health?: HealthReporter;
  /** Resolves the dev-fee destination's invoices; default LNURL over HTTPS. */
  devFeeResolver?: LnurlResolver;
}

/** The reference's dev-fee cycle (reference-0.20.md §4.10). */
export const DEV_FEE_INTERVAL_SECONDS = 60;

const LIVE_STATUSES = ORDER_STATUSES.filter((s) => !TERMINAL_ORDER_STATUSES.includes(s));

export function refreshActiveKeys(deps: Pick<JobDeps, 'ctx' | 'activeKeys'>): void {
  const keys = new Set<string>();
  for (const o of listOrdersByStatus(deps.ctx.db, LIVE_STATUSES)) {
    for (const k of [o.creator_pubkey, o.buyer_pubkey, o.seller_pubkey]) if (k) keys.add(k);
  }
  for (const k of bondKeys(deps.ctx)) keys.add(k);
  for (const d of listDisputesByStatus(deps.ctx.db, ['initiated', 'in-progress'])) {
    if (d.solver_pubkey) keys.add(d.solver_pubkey);
  }
  deps.activeKeys.replace(keys);
}

export async function publishInfo(deps: JobDeps): Promise<void> {
  const { settings } = deps.ctx;
  const m = settings.mostro;
  const ln = settings.lightning;
  const info = deps.nodeInfo;
  await deps.publisher.info({
    mostro_version: MOSTRO_VERSION,
    mostro_commit_hash: process.env.MOSTRO_COMMIT ?? 'unknown',
    max_order_amount: m.max_order_amount,
    min_order_amount: m.min_payment_amount,
    expiration_hours: m.expiration_hours,
    expiration_seconds: m.expiration_seconds,
    fiat_currencies_accepted: m.fiat_currencies_accepted,
    max_orders_per_response: m.max_orders_per_response,
    fee: m.fee,
    pow: m.pow,
    pow_first_contact: Math.max(m.pow, deps.firstContactPow?.() ?? m.pow_first_contact ?? m.pow),
    protocol_version: m.transport === 'nip44' ? 2 : 1,
    hold_invoice_expiration_window: ln.hold_invoice_expiration_window,
    hold_invoice_cltv_delta: ln.hold_invoice_cltv_delta,
    // The buyer-invoice expiry floor (mostrod < 0.20 published the hold-invoice window here).
    invoice_expiration_window: ln.invoice_expiration_window,
    escrow_deadline_margin_blocks: ln.escrow_deadline_margin_blocks,
    lnd_version: info?.version ?? 'unknown',
    lnd_node_pubkey: info?.pubkey ?? '',
    lnd_commit_hash: info?.commitHash ?? '',
    lnd_node_alias: info?.alias ?? '',
    lnd_chains: info?.chains ?? [],
    lnd_networks: info?.networks ?? [],
    lnd_uris: info?.uris ?? [],
    bond: bondPolicy(settings),
    ...reputationInfo(settings, deps.ctx.reputationIssuer),
    maintenance_mode: getMaintenance(deps.ctx.db).enabled,
  });
}

export async function publishRates(deps: Pick<JobDeps, 'prices' | 'publisher'>): Promise<void> {
  const rates: Record<string, number> = {};
  const sources = new Set<string>();
  for (const code of deps.prices.currencies()) {
    const price = deps.prices.getPrice(code);
    if (!price.ok) continue;
    rates[code] = price.price;
    for (const s of price.sources) sources.add(s);
  }
  await deps.publisher.rates(rates, [...sources]);
}

/**
 * How long processed ids are kept: a relay's stored backlog is accepted up to the catch-up age
 * (node/catch-up.ts), live traffic up to the freshness window, so the larger is the acceptance age.
 */
export function processedRetentionFor(settings: Settings): number {
  return processedRetentionSeconds(Math.max(FRESHNESS_SECONDS, settings.nostr.catch_up_seconds));
}

export function scheduleJobs(deps: JobDeps): Scheduler {
  const { settings } = deps.ctx;
  const scheduler = new Scheduler({ logger: { error: (message, err) => deps.log.error(message, err) } });
  refreshActiveKeys(deps);
  scheduler.add('active-keys', settings.mostro.active_pubkeys_refresh_interval, () => refreshActiveKeys(deps));
  scheduler.add('publish-info', settings.mostro.publish_mostro_info_interval, () => publishInfo(deps), {
    runAtStart: true,
  });
  scheduler.add(
    'publish-relays',
    settings.mostro.publish_relays_interval,
    () => deps.publisher.relayList(deps.relays),
    {
      runAtStart: true,
    },
  );
  scheduler.add(
    'prices',
    settings.price.update_interval_seconds,
    async () => {
      await deps.prices.update();
      await publishRates(deps);
    },
    { runAtStart: true },
  );
  scheduler.add('publish-ratings', settings.mostro.user_rates_sent_interval_seconds, async () => {
    await publishQueuedRatings(deps.ctx);
  });
  // Ids are kept as long as their events could still be accepted (freshness.ts): never a replay.
  const retention = processedRetentionFor(settings);
  scheduler.add('prune-processed-events', 3600, () => {
    pruneProcessed(deps.ctx.db, deps.ctx.clock.now() - retention);
  });
  for (const job of ESCROW_JOBS) {
    scheduler.add(job.name, job.intervalSeconds(settings), async () => {
      await job.run(deps.ctx);
    });
  }
  const networks = deps.nodeInfo?.networks ?? null;
  const destination = devFeeDestination(settings.mostro.dev_fee_destination, networks);
  if (destination === null) deps.log.info('dev fee: no destination on this network, dev fees are not paid');
  else {
    deps.log.info(`dev fee: paid to ${destination}`);
    // The simulator's wallets are lightning addresses on loopback (lightning/simulated/lnurl-pay.ts).
    const loopback = deps.nodeInfo?.simulated ? ['127.0.0.1', 'localhost'] : [];
    const resolver = deps.devFeeResolver ?? createHttpLnurlResolver({ httpHosts: loopback });
    const sign = deps.publisher.sign;
    scheduler.add('dev-fee', DEV_FEE_INTERVAL_SECONDS, async () => {
      await payDevFees({ ctx: deps.ctx, destination, resolver, sign, networks });
    });
  }
  const lndSync = deps.lndSync;
  if (lndSync) {
    // A maintenance change shows in the info event at once, not at the next interval.
    lndSync.onMaintenanceChange = () => publishInfo(deps);
    scheduler.add('lnd-sync', SYNC_POLL_SECONDS, () => lndSync.poll(), { runAtStart: true });
  }
  const health = deps.health;
  if (health && settings.health.enabled) {
    // The first event should not report LND as unknown only because its first poll is in flight.
    let first = true;
    scheduler.add(
      'health',
      HEALTH_EVAL_SECONDS,
      async () => {
        if (first && lndSync) await lndSync.poll();
        first = false;
        await health.evaluate();
      },
      { runAtStart: true },
    );
  }
  return scheduler;
}
