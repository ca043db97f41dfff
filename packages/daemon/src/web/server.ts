// Serves the built browser client (packages/web/dist) on loopback, pre-configured for this node:
// `/config.json` carries the node's npub, its relays and (simulated Lightning only) the wallet API,
// which is proxied under `/wallet-api/` so the page talks to one origin plus the relays. Static
// files only: the node never imports the client or the web package's code. The console's admin API
// is mounted under `/admin-api/` (admin/http.ts) when the node has an admin token.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_API_PREFIX, type AdminHttpHandler } from '../admin/http.ts';
import { answerSolverPermission, SOLVER_PERMISSION_PATH, type SolverPermissionLookup } from './solver-permission.ts';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));
export const WALLET_PREFIX = '/wallet-api';

export interface WebConfig {
  /** Node pubkey, npub. */
  node: string;
  relays: string[];
  /** Same-origin path of the wallet API proxy, or null on a real Lightning node. */
  wallet: string | null;
  simulated: boolean;
}

export interface WebServerOptions {
  host: string;
  port: number;
  dist?: string;
  node: string;
  relays: string[];
  simulated: boolean;
  /** The simulated wallet API's base URL (proxied), or null. */
  walletUrl: string | null;
  /** The console's admin API under /admin-api/ (admin/http.ts), or null when it is off. */
  admin?: AdminHttpHandler | null;
  /** What a solver key may do here (solver-permission.ts), or null to leave the route out. */
  solverPermission?: SolverPermissionLookup | null;
}

export interface WebServer {
  url: string;
  /** False when the app is not built: the server answers with how to build it. */
  built: boolean;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The page may talk to itself (config, wallet proxy) and to the node's relays; nothing else. */
export function contentSecurityPolicy(relays: string[]): string {
  const connect = ["'self'", ...relays].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const MAX_PROXY_BODY = 64 * 1024;

async function proxyWallet(req: IncomingMessage, res: ServerResponse, base: string, path: string): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_PROXY_BODY) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(c as Buffer);
  }
  try {
    const upstream = await fetch(new URL(path, base), {
      method: req.method ?? 'GET',
      headers: { 'content-type': 'application/json' },
      ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    res.writeHead(upstream.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  } catch {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'unavailable', message: 'the simulated wallet API did not answer' }));
  }
}

async function fileFor(dist: string, urlPath: string): Promise<string | null> {
  const rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const full = resolve(dist, rel);
  if (full !== dist && !full.startsWith(dist + sep)) return null;
  try {
    const s = await stat(full);
    if (s.isFile()) return full;
  } catch {
    // not a file: the single-page app's index answers every route
  }
  return null;
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const dist = resolve(o.dist ?? DEFAULT_WEB_DIST);
  const built = await stat(join(dist, 'index.html')).then(
    (s) => s.isFile(),
    () => false,
  );
  const config: WebConfig = {
    node: o.node,
    relays: o.relays,
    wallet: o.simulated && o.walletUrl ? WALLET_PREFIX : null,
    simulated: o.simulated,
  };
  const csp = contentSecurityPolicy(o.relays);
  const common = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/config.json') {
        res.writeHead(200, { ...common, 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(config));
        return;
      }
      if (url.pathname === ADMIN_API_PREFIX || url.pathname.startsWith(`${ADMIN_API_PREFIX}/`)) {
        if (!o.admin) {
          res.writeHead(404, { ...common, 'content-type': 'application/json' });
          res.end(JSON.stringify({ success: false, error_message: 'the admin API is off: set [rpc].auth_token' }));
          return;
        }
        await o.admin(req, res, url.pathname);
        return;
      }
      if (url.pathname === SOLVER_PERMISSION_PATH && o.solverPermission) {
        await answerSolverPermission(req, res, o.solverPermission);
        return;
      }
      if (url.pathname.startsWith(`${WALLET_PREFIX}/`)) {
        if (!config.wallet || !o.walletUrl) {
          res.writeHead(404).end();
          return;
        }
        await proxyWallet(req, res, o.walletUrl, url.pathname.slice(WALLET_PREFIX.length));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, common).end();
        return;
      }
      if (!built) {
        res.writeHead(503, { ...common, 'content-type': 'text/plain; charset=utf-8' });
        res.end('The web client is not built: run `npm run build -w @mostro/web`, then reload.\n');
        return;
      }
      const file = (await fileFor(dist, url.pathname)) ?? join(dist, 'index.html');
      const body = await readFile(file);
      const hashed = file.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        ...common,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host}:${port}`,
    built,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
