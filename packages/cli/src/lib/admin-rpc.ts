// The node's admin gRPC (mostro.admin.v1.AdminService) from the CLI, loaded from the same .proto
// the node serves (packages/protocol/proto). Where: `--rpc URL` or MOSTRO_RPC_URL (default
// http://127.0.0.1:50051, as mostro-cli, or the local node's `[rpc]`); the token: MOSTRO_RPC_TOKEN
// or, for the local node, its own `rpc.auth_token`. A token is never sent in
// clear text to another machine: an http:// URL with a token must point at loopback.
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type ChannelCredentials,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ClientError } from '@mostro/client';
import { UsageError } from './globals.ts';

export const DEFAULT_RPC_URL = 'http://127.0.0.1:50051';
const PROTO = fileURLToPath(import.meta.resolve('@mostro/protocol/proto/admin.proto'));

export interface RpcTarget {
  url: URL;
  token: string | null;
}

const isLoopbackHost = (host: string): boolean => {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
};

/**
 * The RPC endpoint from the flag or the environment, else (when `required`) the local node's
 * (`local`, from its config.toml) or the default; null when none applies. The token is
 * MOSTRO_RPC_TOKEN, else the local node's own token — only for the local node's address.
 */
export function rpcTarget(
  flagUrl: string | undefined,
  env: NodeJS.ProcessEnv,
  required: boolean,
  local: { url: string; token: string | null } | null = null,
): RpcTarget | null {
  const raw = flagUrl ?? env.MOSTRO_RPC_URL ?? (required ? (local?.url ?? DEFAULT_RPC_URL) : undefined);
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`'${raw}' is not a URL`, `give the admin gRPC as ${DEFAULT_RPC_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`'${raw}' is not an http:// or https:// URL`, `give the admin gRPC as ${DEFAULT_RPC_URL}`);
  const localToken = local?.token && new URL(local.url).origin === url.origin ? local.token : null;
  const token = env.MOSTRO_RPC_TOKEN?.trim() || localToken;
  if (token && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `refusing to send MOSTRO_RPC_TOKEN in clear text to ${url.host}`,
      'use https://, an SSH tunnel to 127.0.0.1, or run the command on the node',
    );
  }
  return { url, token };
}

type Unary = (
  request: unknown,
  metadata: Metadata,
  options: object,
  callback: (e: ServiceError | null, v: unknown) => void,
) => void;

export class AdminRpc {
  readonly #client: InstanceType<ServiceClientConstructor>;

  constructor(
    readonly target: RpcTarget,
    private readonly timeoutSeconds: number,
  ) {
    const definition = loadSync(PROTO, { keepCase: true, longs: Number, defaults: true, oneofs: false });
    const root = loadPackageDefinition(definition) as { mostro: { admin: { v1: GrpcObject } } };
    const Service = root.mostro.admin.v1.AdminService as ServiceClientConstructor;
    const creds: ChannelCredentials =
      target.url.protocol === 'https:' ? credentials.createSsl() : credentials.createInsecure();
    const port = target.url.port || (target.url.protocol === 'https:' ? '443' : '80');
    this.#client = new Service(`${target.url.hostname}:${port}`, creds);
  }

  /** One RPC; gRPC failures become ClientErrors that say what to do. */
  call<T extends Record<string, unknown>>(method: string, request: Record<string, unknown>): Promise<T> {
    const metadata = new Metadata();
    if (this.target.token) metadata.set('authorization', `Bearer ${this.target.token}`);
    const fn = this.#client[method] as Unary;
    return new Promise((ok, fail) =>
      fn.call(this.#client, request, metadata, { deadline: Date.now() + this.timeoutSeconds * 1000 }, (error, value) =>
        error ? fail(this.#explain(method, error)) : ok(value as T),
      ),
    );
  }

  close(): void {
    this.#client.close();
  }

  #explain(method: string, error: ServiceError): ClientError {
    const where = this.target.url.origin;
    switch (error.code) {
      case status.UNAVAILABLE:
      case status.DEADLINE_EXCEEDED:
        return new ClientError(
          'node_unreachable',
          `no admin gRPC answers at ${where} (${error.details})`,
          'start the node with [rpc] enabled = true, or give --rpc / MOSTRO_RPC_URL',
        );
      case status.PERMISSION_DENIED:
        return new ClientError(
          'not_allowed',
          `the node refused ${method}: ${error.details}`,
          'set MOSTRO_RPC_TOKEN to the node’s rpc.auth_token (and call from the node’s machine)',
        );
      default:
        return new ClientError('io', `${method} failed: ${error.details || error.message}`, 'see the node’s log');
    }
  }
}

/** A mutating RPC's answer as a result or an error. */
export function requireSuccess(method: string, response: { success?: unknown; error_message?: unknown }): void {
  if (response.success === true) return;
  const why = typeof response.error_message === 'string' ? response.error_message : 'no reason given';
  throw new ClientError('cant_do', `${method}: ${why}`, 'check the id and the order’s state (`mostro admin disputes`)');
}
