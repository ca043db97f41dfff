// Serves the node's metrics and health when `[metrics] enabled`: the checks behind /healthz and the
// gauges refreshed at each scrape. A port already taken is logged; the node runs on without it.
import type { RelayPool } from '@mostro/nostr';
import type { Logger } from '../app/context.ts';
import type { Settings } from '../config/index.ts';
import type { Db } from '../db/open.ts';
import type { LightningBackend } from '../lightning/backend.ts';
import { collectState } from '../metrics/collect.ts';
import type { Metrics } from '../metrics/registry.ts';
import { type HealthCheck, type MetricsServer, startMetricsServer } from '../metrics/server.ts';

export interface NodeHealthDeps {
  db: Db;
  pool: Pick<RelayPool, 'statuses'>;
  lightning: LightningBackend;
}

export function nodeHealthChecks(deps: NodeHealthDeps): Record<string, HealthCheck> {
  return {
    database: async () => {
      deps.db.prepare('SELECT 1').get();
      return { ok: true };
    },
    relays: async () => {
      const statuses = Object.values(deps.pool.statuses());
      const connected = statuses.filter((s) => s === 'connected').length;
      return { ok: connected > 0, detail: `${connected}/${statuses.length} connected` };
    },
    lightning: async () => {
      const info = await deps.lightning.getInfo();
      return info.ok ? { ok: true } : { ok: false, detail: info.error.message };
    },
  };
}

export async function serveNodeMetrics(
  settings: Settings,
  metrics: Metrics,
  deps: NodeHealthDeps,
  log: Logger,
): Promise<MetricsServer | null> {
  if (!settings.metrics.enabled) return null;
  try {
    const server = await startMetricsServer({
      host: settings.metrics.host,
      port: settings.metrics.port,
      metrics,
      checks: nodeHealthChecks(deps),
      beforeScrape: () => collectState(metrics, deps.db, () => deps.pool.statuses()),
    });
    log.info(`metrics: ${server.url}/metrics and ${server.url}/healthz`);
    return server;
  } catch (error) {
    log.warn(`metrics: not served (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}
