// The operator's window: `GET /metrics` (Prometheus text) and `GET /healthz` (200 when the database,
// at least one relay and Lightning answer, else 503; a JSON body names each check). Loopback by
// default; nothing here can change the node's state.
import { createServer, type Server } from 'node:http';
import type { Metrics } from './registry.ts';

export type HealthCheck = () => Promise<{ ok: boolean; detail?: string }>;

export interface MetricsServerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  checks: Record<string, HealthCheck>;
  /** Called before each scrape, to refresh gauges read from the database or the pool. */
  beforeScrape?(): void;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 3000;

async function runCheck(check: HealthCheck): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: 'timed out' }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export async function health(checks: Record<string, HealthCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, c]) => [name, await runCheck(c)] as const),
  );
  const results = Object.fromEntries(entries);
  return { ok: entries.every(([, r]) => r.ok), checks: results };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405).end();
      return;
    }
    if (path === '/metrics') {
      options.beforeScrape?.();
      options.metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (path === '/healthz') {
      void health(options.checks).then((h) =>
        response
          .writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: h.ok ? 'ok' : 'unhealthy', checks: h.checks })),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
