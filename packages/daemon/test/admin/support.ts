// A grpc-js client of the node's admin service for tests, loaded from the same .proto.
import { credentials, Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import { loadAdminService } from '../../src/admin/proto.ts';

export type Client = InstanceType<ReturnType<typeof loadAdminService>>;

/** One unary call as a promise: the response, or the ServiceError. */
export function call<T = Record<string, unknown>>(
  client: Client,
  method: string,
  request: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const metadata = new Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((ok, fail) => {
    (client[method] as (r: unknown, m: Metadata, o: object, cb: (e: ServiceError | null, v: T) => void) => void).call(
      client,
      request,
      metadata,
      { deadline: Date.now() + 30_000 },
      (error, value) => (error ? fail(error) : ok(value)),
    );
  });
}

export const refusedWith = (code: status) => (error: unknown) => (error as ServiceError).code === code;

export function adminClient(port: number, host = '127.0.0.1'): Client {
  const Service = loadAdminService();
  return new Service(`${host}:${port}`, credentials.createInsecure());
}
