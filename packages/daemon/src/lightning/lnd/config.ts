// Where the LND node is and how to authenticate: gRPC host:port, TLS certificate and macaroon, each
// given either as a file path or inline as base64 (the form `lncli`/`bos credentials` export).
import { readFileSync } from 'node:fs';

export interface LndConfig {
  grpcHost: string; // host:port
  tlsCertPath?: string;
  tlsCertBase64?: string;
  macaroonPath?: string;
  macaroonBase64?: string;
}

export interface LndCredentials {
  socket: string;
  cert: string; // base64
  macaroon: string; // base64
}

const base64Of = (label: string, base64: string | undefined, path: string | undefined): string => {
  if (base64) return base64.trim();
  if (!path) throw new Error(`LND config: ${label} needs a path or a base64 value`);
  try {
    return readFileSync(path).toString('base64');
  } catch (err) {
    throw new Error(`LND config: cannot read ${label} at ${path}: ${(err as Error).message}`);
  }
};

/** Resolves the config into what `authenticatedLndGrpc` takes; throws on a configuration mistake. */
export function lndCredentials(config: LndConfig): LndCredentials {
  if (!/^[^\s:]+:\d{1,5}$/.test(config.grpcHost ?? '')) {
    throw new Error(`LND config: grpcHost must be host:port, got ${JSON.stringify(config.grpcHost)}`);
  }
  return {
    socket: config.grpcHost,
    cert: base64Of('TLS certificate', config.tlsCertBase64, config.tlsCertPath),
    macaroon: base64Of('macaroon', config.macaroonBase64, config.macaroonPath),
  };
}
