// The admin .proto (packages/protocol/proto/admin.proto), loaded for grpc-js. The same file the
// CLI loads, so both ends agree on every field by construction.
import { fileURLToPath } from 'node:url';
import { type GrpcObject, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export const ADMIN_PROTO_PATH = fileURLToPath(import.meta.resolve('@mostro/protocol/proto/admin.proto'));

/** snake_case field names as in the .proto; int64 as JS numbers (Unix seconds fit). */
export function loadAdminService(): ServiceClientConstructor {
  const definition = loadSync(ADMIN_PROTO_PATH, { keepCase: true, longs: Number, defaults: true, oneofs: false });
  const root = loadPackageDefinition(definition) as { mostro: { admin: { v1: GrpcObject } } };
  return root.mostro.admin.v1.AdminService as ServiceClientConstructor;
}
