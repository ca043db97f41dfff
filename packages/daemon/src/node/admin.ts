// The node's admin surfaces: the admin service, the gRPC (`[rpc].enabled`) and the console's HTTP
// handler (mounted by the web server when `[rpc].auth_token` is set).

import { type AdminGrpcServer, startAdminGrpc } from '../admin/grpc.ts';
import { type AdminHttpHandler, adminHttpHandler } from '../admin/http.ts';
import { type AdminService, type AdminServiceDeps, createAdminService } from '../admin/service.ts';
import type { Logger } from '../app/context.ts';
import { collectState } from '../metrics/collect.ts';
import type { Metrics } from '../metrics/registry.ts';
import { health } from '../metrics/server.ts';
import { listenOn } from './listen.ts';
import { type NodeHealthDeps, nodeHealthChecks } from './metrics.ts';

export interface NodeAdmin {
  service: AdminService;
  grpc: AdminGrpcServer | null;
  /** Null when no token is configured: the console API is off. */
  http: AdminHttpHandler | null;
  close(): Promise<void>;
}

export interface NodeAdminDeps extends AdminServiceDeps {
  metrics: Metrics;
  healthDeps: NodeHealthDeps;
  log: Logger;
}

export async function startNodeAdmin(deps: NodeAdminDeps): Promise<NodeAdmin> {
  const { settings } = deps.ctx;
  const service = createAdminService(deps);
  const token = settings.rpc.auth_token;
  let grpc: AdminGrpcServer | null = null;
  if (settings.rpc.enabled) {
    const { listen_address: host, port } = settings.rpc;
    grpc = await listenOn({ section: 'rpc', what: 'the admin gRPC', host, port }, () =>
      startAdminGrpc({ service, host, port, token, log: deps.log }),
    );
    deps.log.info(`admin gRPC: ${grpc.url}${token ? '' : ' (no auth_token: mutating RPCs need no token)'}`);
  }
  const http = token
    ? adminHttpHandler({
        service,
        token,
        health: async () => {
          const h = await health(nodeHealthChecks(deps.healthDeps));
          return { status: h.ok ? 200 : 503, body: { status: h.ok ? 'ok' : 'unhealthy', checks: h.checks } };
        },
        metrics: async () => {
          collectState(deps.metrics, deps.healthDeps.db, () => deps.healthDeps.pool.statuses());
          return { contentType: deps.metrics.registry.contentType, text: await deps.metrics.registry.metrics() };
        },
      })
    : null;
  return { service, grpc, http, close: async () => grpc?.close() };
}
