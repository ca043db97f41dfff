// The console's admin API: JSON over the web server's own origin (`/admin-api/…`), so the page's
// CSP stays 'self'. Off (404) unless `[rpc].auth_token` is set; only loopback peers (403); every
// request carries `Authorization: Bearer <token>` (401 otherwise). The operations are the admin
// service's, the same the gRPC offers. Malformed requests get 400 with a JSON error, never a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches, isLoopback } from './auth.ts';
import type { AdminService } from './service.ts';

export const ADMIN_API_PREFIX = '/admin-api';
const MAX_BODY_BYTES = 16 * 1024;
/** Answers carry the node's state: never cached, never sniffed into something else. */
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export interface AdminHttpDeps {
  service: AdminService;
  /** `[rpc].auth_token`; undefined = the API is off. */
  token: string | undefined;
  /** What the node's /healthz answers: HTTP status and JSON body. */
  health(): Promise<{ status: number; body: unknown }>;
  /** The node's Prometheus registry as text. */
  metrics(): Promise<{ contentType: string; text: string }>;
}

/** Answers one request under ADMIN_API_PREFIX. */
export type AdminHttpHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...NO_STORE, 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const failure = (message: string) => ({ success: false, error_message: message });

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest(400, 'body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequest(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function adminHttpHandler(deps: AdminHttpDeps): AdminHttpHandler {
  const { service, token } = deps;

  const routes: Record<
    string,
    Partial<Record<'GET' | 'POST', (req: IncomingMessage, res: ServerResponse) => Promise<void>>>
  > = {
    '/version': { GET: async (_req, res) => send(res, 200, service.version()) },
    '/maintenance': {
      GET: async (_req, res) => {
        const { ln_node_pubkey: _current, stored_ln_node_pubkey: _stored, ...status } = service.maintenanceStatus();
        send(res, 200, status);
      },
      POST: async (req, res) => {
        const body = await readJson(req);
        if (typeof body.enabled !== 'boolean') throw new BadRequest(400, 'enabled: expected true or false');
        if (body.reason !== undefined && body.reason !== null && typeof body.reason !== 'string') {
          throw new BadRequest(400, 'reason: expected a string');
        }
        send(res, 200, await service.setMaintenance({ enabled: body.enabled, reason: body.reason ?? null }));
      },
    },
    '/solvers': {
      GET: async (_req, res) => send(res, 200, { solvers: service.solvers() }),
      POST: async (req, res) => {
        const body = await readJson(req);
        if (typeof body.solver_pubkey !== 'string' || body.solver_pubkey.trim() === '') {
          throw new BadRequest(400, 'solver_pubkey: expected "npub1…" or "npub1…:read"');
        }
        send(res, 200, await service.addSolver({ solver_pubkey: body.solver_pubkey }));
      },
    },
    '/health': {
      GET: async (_req, res) => {
        const { status, body } = await deps.health();
        send(res, status, body);
      },
    },
    '/metrics': {
      GET: async (_req, res) => {
        const { contentType, text } = await deps.metrics();
        res.writeHead(200, { ...NO_STORE, 'content-type': contentType });
        res.end(text);
      },
    },
  };

  return async (req, res, path) => {
    if (token === undefined) return send(res, 404, failure('the admin API is off: set [rpc].auth_token'));
    if (!isLoopback(req.socket.remoteAddress)) return send(res, 403, failure('the admin API answers loopback only'));
    if (!bearerMatches(req.headers.authorization, token)) {
      return send(res, 401, failure('missing or wrong bearer token'), { 'www-authenticate': 'Bearer' });
    }
    const route = routes[path.slice(ADMIN_API_PREFIX.length)];
    if (!route) return send(res, 404, failure(`no admin route ${path}`));
    const handler = route[req.method as 'GET' | 'POST'];
    if (!handler) {
      return send(res, 405, failure(`${req.method} not allowed here`), { allow: Object.keys(route).join(', ') });
    }
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof BadRequest) return send(res, error.status, failure(error.message));
      throw error;
    }
  };
}
