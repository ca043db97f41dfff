// The admin gRPC transport (reference-0.20.md §6): `mostro.admin.v1.AdminService` over grpc-js,
// plaintext on `[rpc].listen_address` (loopback by default). Each RPC checks who may call it and
// hands the request to the admin service; refusals are PERMISSION_DENIED, the limiter's is
// RESOURCE_EXHAUSTED, the reputation RPCs are UNIMPLEMENTED while the node does not offer that feature.
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '../app/context.ts';
import { bearerMatches, grpcPeerAddress, isLoopback } from './auth.ts';
import { loadAdminService } from './proto.ts';
import type { AdminService } from './service.ts';

export interface AdminGrpcOptions {
  service: AdminService;
  host: string;
  port: number;
  /** `[rpc].auth_token`; unset = the mutating RPCs need no token (as in the reference). */
  token: string | undefined;
  log: Logger;
}

export interface AdminGrpcServer {
  /** `http://host:port`, what `mostro admin --rpc` takes. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const REPUTATION_UNAVAILABLE = 'reputation import is not available on this node';

interface Guard {
  /** A bearer token is required (when one is configured). */
  token: boolean;
  /** Only a loopback peer may call. */
  loopback: boolean;
}

const OPEN: Guard = { token: false, loopback: false };
const TOKEN: Guard = { token: true, loopback: false };
const LOCAL_TOKEN: Guard = { token: true, loopback: true };

type Call = ServerUnaryCall<Record<string, unknown>, unknown>;

class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export async function startAdminGrpc(options: AdminGrpcOptions): Promise<AdminGrpcServer> {
  const { service, token, log } = options;

  const admit = (call: Call, guard: Guard): void => {
    if (guard.loopback && !isLoopback(grpcPeerAddress(call.getPeer()) ?? undefined)) {
      throw new RpcError(status.PERMISSION_DENIED, 'only a loopback client may call this');
    }
    if (guard.token && token !== undefined) {
      const header = call.metadata.get('authorization')[0];
      if (!bearerMatches(typeof header === 'string' ? header : undefined, token)) {
        throw new RpcError(status.PERMISSION_DENIED, 'missing or wrong bearer token');
      }
    }
  };

  const unary =
    (name: string, guard: Guard, run: (request: Record<string, unknown>, call: Call) => unknown) =>
    (call: Call, callback: sendUnaryData<unknown>) => {
      void (async () => {
        try {
          admit(call, guard);
          callback(null, await run(call.request ?? {}, call));
        } catch (error) {
          if (error instanceof RpcError) {
            log.warn(`admin rpc ${name} refused (${call.getPeer()}): ${error.message}`);
            callback({ code: error.code, details: error.message });
            return;
          }
          log.error(`admin rpc ${name}: internal error`, error);
          callback({ code: status.INTERNAL, details: 'internal error (see the node log)' });
        }
      })();
    };

  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const opt = (v: unknown): string | null => (typeof v === 'string' ? v : null);

  const implementation: UntypedServiceImplementation = {
    CancelOrder: unary('CancelOrder', TOKEN, (r) =>
      service.cancelOrder({
        order_id: str(r.order_id),
        request_id: opt(r.request_id),
        pretrade_only: r.pretrade_only === true,
      }),
    ),
    SettleOrder: unary('SettleOrder', TOKEN, (r) =>
      service.settleOrder({ order_id: str(r.order_id), request_id: opt(r.request_id) }),
    ),
    AddSolver: unary('AddSolver', TOKEN, (r) =>
      service.addSolver({ solver_pubkey: str(r.solver_pubkey), request_id: opt(r.request_id) }),
    ),
    TakeDispute: unary('TakeDispute', TOKEN, (r) =>
      service.takeDispute({ dispute_id: str(r.dispute_id), request_id: opt(r.request_id) }),
    ),
    ValidateDbPassword: unary('ValidateDbPassword', OPEN, (_r, call) => {
      const outcome = service.validateDbPassword(grpcPeerAddress(call.getPeer()) ?? call.getPeer());
      if (!outcome) throw new RpcError(status.RESOURCE_EXHAUSTED, 'Too many requests, try again later');
      return outcome;
    }),
    GetVersion: unary('GetVersion', OPEN, () => service.version()),
    SetMaintenanceMode: unary('SetMaintenanceMode', LOCAL_TOKEN, (r) =>
      service.setMaintenance({ enabled: r.enabled === true, reason: opt(r.reason) }),
    ),
    GetMaintenanceStatus: unary('GetMaintenanceStatus', OPEN, () => {
      const s = service.maintenanceStatus();
      return {
        ...s,
        reason: s.reason ?? undefined,
        since: s.since ?? undefined,
        stored_ln_node_pubkey: s.stored_ln_node_pubkey ?? undefined,
      };
    }),
    RevokeReputationImports: unary('RevokeReputationImports', LOCAL_TOKEN, (r) => {
      if (!service.reputation.importOffered()) throw new RpcError(status.UNIMPLEMENTED, REPUTATION_UNAVAILABLE);
      const after = typeof r.imported_after === 'number' && r.imported_after > 0 ? r.imported_after : null;
      return service.reputation.revoke({
        issuer_key: str(r.issuer_key),
        imported_after: after,
        reason: opt(r.reason) || null,
      });
    }),
    RebindReputationExport: unary('RebindReputationExport', LOCAL_TOKEN, (r) => {
      if (!service.reputation.exportOffered()) {
        throw new RpcError(status.UNIMPLEMENTED, 'reputation export is not available on this node');
      }
      return service.reputation.rebind({
        identity: str(r.identity),
        new_identity: str(r.new_identity),
        reason: str(r.reason),
      });
    }),
  };

  // Admin requests are a few ids and a reason: nothing needs grpc-js's 4 MiB default.
  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 });
  server.addService(loadAdminService().service, implementation);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? fail(error) : ok(bound),
    ),
  );
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        // In-flight calls finish (they may be settling an order); a stuck client is cut after 5 s.
        const force = setTimeout(() => server.forceShutdown(), 5_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          ok();
        });
      }),
  };
}
