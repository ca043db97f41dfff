// `GET /solver-api/permission`: tells a solver console what the node lets its key do — the node's
// own key, a read-write or a read-only solver, or nothing — before it acts, so a read-only solver
// is never offered a decision and a stranger no queue. The request proves the key with a NIP-98
// HTTP auth event (kind 27235, this URL, GET, signed within the last 60 s); the answer is only
// about that key, so it tells nobody anything about anyone else. Nothing here changes state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  unpackEventFromToken,
  validateEventKind,
  validateEventMethodTag,
  validateEventTimestamp,
} from 'nostr-tools/nip98';
import { verifyEvent } from 'nostr-tools/pure';

export const SOLVER_PERMISSION_PATH = '/solver-api/permission';

export type SolverPermissionLookup = (pubkey: string) => 'node' | 'read' | 'read-write' | null;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The event's `u` tag names this server (as the browser reached it) and this path. */
function namesThisUrl(tags: string[][], host: string | undefined): boolean {
  const u = tags.find((t) => t[0] === 'u')?.[1];
  if (!u || !host) return false;
  try {
    const url = new URL(u);
    return url.host === host && url.pathname === SOLVER_PERMISSION_PATH;
  } catch {
    return false;
  }
}

export async function answerSolverPermission(
  req: IncomingMessage,
  res: ServerResponse,
  lookup: SolverPermissionLookup,
): Promise<void> {
  if (req.method !== 'GET') return send(res, 405, { error: 'GET only' });
  const header = req.headers.authorization ?? '';
  const event = await unpackEventFromToken(header).catch(() => null);
  const valid =
    event !== null &&
    validateEventKind(event) &&
    validateEventTimestamp(event) &&
    validateEventMethodTag(event, 'GET') &&
    namesThisUrl(event.tags, req.headers.host) &&
    verifyEvent(event);
  if (!valid || !event)
    return send(res, 401, { error: 'a NIP-98 authorization (kind 27235) for this URL is required' });
  send(res, 200, { pubkey: event.pubkey, permission: lookup(event.pubkey) });
}
