// The admin operations (reference-0.20.md §6), independent of how they are reached (gRPC in
// grpc.ts, the console's HTTP API in http.ts). As in the reference, an order, dispute or solver
// operation is a message from the node key itself, handled by the same handler a Nostr message
// reaches — so every rule, state change and outbox message is the one a solver's message gets —
// and it waits its turn with the messages from the relays.
import { randomUUID } from 'node:crypto';
import { type Action, newMessage, type Payload, wrapperForAction } from '@mostro/protocol';
import { npubEncode } from 'nostr-tools/nip19';
import { isPretrade } from '../app/admin-cancel-pretrade.ts';
import type { AppContext } from '../app/context.ts';
import type { HandlerTable } from '../app/dispatch.ts';
import { CantDo, SilentDrop } from '../app/errors.ts';
import type { Request } from '../app/request.ts';
import { getOrder } from '../db/orders.ts';
import { listSolvers } from '../db/users.ts';
import { type DrainCounters, drainCounters, isDrained } from '../health/drain.ts';
import { storedLnNode } from '../health/ln-node-guard.ts';
import { getMaintenance, LND_UNSYNCED, setMaintenance } from '../health/maintenance.ts';
import { RateLimiter } from './rate-limiter.ts';
import { createReputationAdmin } from './reputation.ts';

export interface AdminOutcome {
  success: boolean;
  error_message?: string;
}

export interface MaintenanceStatus {
  enabled: boolean;
  reason: string | null;
  since: number | null;
  counters: DrainCounters;
  drained: boolean;
  ln_node_pubkey: string;
  stored_ln_node_pubkey: string | null;
}

export interface SolverView {
  pubkey: string;
  npub: string;
  permission: 'read' | 'read-write';
}

export interface AdminServiceDeps {
  ctx: AppContext;
  handlers: HandlerTable;
  /** Runs the work between two handled relay messages (node/intake.ts). */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  /** Republishes the info event (its `maintenance_mode` tag) at once. */
  republishInfo: () => Promise<void>;
  version: string;
  /** Identity pubkey of the Lightning node in use ('' when unknown or simulated). */
  lnNodePubkey: string;
}

export type AdminService = ReturnType<typeof createAdminService>;

/** `request_id` strings become a u64, as the reference parses them; anything else is dropped. */
export function parseRequestId(raw: string | undefined | null): bigint | null {
  if (raw == null || !/^\d{1,20}$/.test(raw.trim())) return null;
  const value = BigInt(raw.trim());
  return value < 2n ** 64n ? value : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createAdminService(deps: AdminServiceDeps) {
  const { ctx } = deps;
  const limiter = new RateLimiter(ctx.settings.rpc.rate_limiter_stale_duration * 1000);

  /** Handles `action` as if the node key had sent it over Nostr; a refusal becomes the error. */
  const asNode = (
    action: Action,
    fields: { id?: string; payload?: Payload; requestId?: string | null },
    /** Checked in the same turn as the handler, so nothing changes in between. */
    guard: () => AdminOutcome | null = () => null,
  ): Promise<AdminOutcome> =>
    deps.exclusive(async () => {
      const refused = guard();
      if (refused) return refused;
      const handler = deps.handlers[action];
      if (!handler) return { success: false, error_message: `${action} is not handled by this node` };
      const message = newMessage(wrapperForAction(action, fields.payload), {
        action,
        request_id: parseRequestId(fields.requestId),
        ...(fields.id !== undefined ? { id: fields.id } : {}),
        ...(fields.payload !== undefined ? { payload: fields.payload } : {}),
      });
      const request: Request = {
        eventId: `admin-rpc:${randomUUID()}`,
        transport: ctx.settings.mostro.transport,
        wrapper: message.wrapper,
        message: message.kind,
        sender: ctx.nodePubkey,
        identity: ctx.nodePubkey,
        fullPrivacy: false,
        tradeSignature: null,
        createdAt: ctx.clock.now(),
      };
      try {
        await handler(ctx, request);
        ctx.log.info(`admin rpc: ${action}${fields.id ? ` ${fields.id}` : ''} done`);
        return { success: true };
      } catch (error) {
        const why =
          error instanceof CantDo
            ? `cant-do: ${error.reason ?? 'invalid_action'}`
            : error instanceof SilentDrop
              ? `refused: ${error.why}`
              : `internal error: ${error instanceof Error ? error.message : String(error)}`;
        ctx.log.warn(`admin rpc: ${action}${fields.id ? ` ${fields.id}` : ''} failed (${why})`);
        return { success: false, error_message: `${action} failed: ${why}` };
      }
    });

  const requireUuid = (what: string, id: string): AdminOutcome | null =>
    UUID.test(id) ? null : { success: false, error_message: `${what} is not a UUID: ${JSON.stringify(id)}` };

  return {
    async cancelOrder(req: { order_id: string; request_id?: string | null; pretrade_only?: boolean | null }) {
      const bad = requireUuid('order_id', req.order_id);
      if (bad) return bad;
      const id = req.order_id.toLowerCase();
      const pretradeOnly = () => {
        const order = getOrder(ctx.db, id);
        return order && !isPretrade(order)
          ? { success: false, error_message: `order ${order.id} is ${order.status}, not pre-trade` }
          : null;
      };
      return asNode(
        'admin-cancel',
        { id, requestId: req.request_id ?? null },
        req.pretrade_only ? pretradeOnly : undefined,
      );
    },
    async settleOrder(req: { order_id: string; request_id?: string | null }) {
      return (
        requireUuid('order_id', req.order_id) ??
        asNode('admin-settle', { id: req.order_id.toLowerCase(), requestId: req.request_id ?? null })
      );
    },
    async addSolver(req: { solver_pubkey: string; request_id?: string | null }) {
      return asNode('admin-add-solver', {
        payload: { text_message: req.solver_pubkey },
        requestId: req.request_id ?? null,
      });
    },
    async takeDispute(req: { dispute_id: string; request_id?: string | null }) {
      return (
        requireUuid('dispute_id', req.dispute_id) ??
        asNode('admin-take-dispute', { id: req.dispute_id.toLowerCase(), requestId: req.request_id ?? null })
      );
    },
    /** The database is not encrypted: always valid, behind the per-IP limiter (null = rate-limited). */
    validateDbPassword(peerIp: string): AdminOutcome | null {
      const nowMs = ctx.clock.nowMs();
      if (!limiter.check(peerIp, nowMs).ok) return null;
      limiter.recordSuccess(peerIp);
      return { success: true };
    },
    limiter,
    version: () => ({ version: deps.version }),
    reputation: createReputationAdmin(ctx, deps.exclusive),
    async setMaintenance(req: { enabled: boolean; reason?: string | null }): Promise<AdminOutcome> {
      const reason = req.reason?.trim() || null;
      if (reason === LND_UNSYNCED) {
        return {
          success: false,
          error_message: `reason ${LND_UNSYNCED} is the node's own (LND unsynced); choose another`,
        };
      }
      if (reason !== null && reason.length > 200) {
        return { success: false, error_message: 'reason: at most 200 characters' };
      }
      // An operator's maintenance is never automatic: the node will not lift it by itself.
      const changed = setMaintenance(
        ctx.db,
        req.enabled ? { enabled: true, reason, automatic: false } : { enabled: false },
        ctx.clock.now(),
      );
      ctx.log.info(`admin: maintenance ${req.enabled ? `on${reason ? ` (${reason})` : ''}` : 'off'}`);
      if (changed) {
        // Clients read the mode from the info event: show the change now, not at the next interval.
        await deps.republishInfo().catch((error) => ctx.log.warn('admin: info event not republished', error));
      }
      return { success: true };
    },
    maintenanceStatus(): MaintenanceStatus {
      const m = getMaintenance(ctx.db);
      const counters = drainCounters(ctx.db);
      return {
        enabled: m.enabled,
        reason: m.reason,
        since: m.since,
        counters,
        drained: isDrained(counters),
        ln_node_pubkey: deps.lnNodePubkey,
        stored_ln_node_pubkey: storedLnNode(ctx.db),
      };
    },
    solvers(): SolverView[] {
      return listSolvers(ctx.db).map((u) => ({
        pubkey: u.pubkey,
        npub: npubEncode(u.pubkey),
        permission: u.solver_permission === 'read' ? 'read' : 'read-write',
      }));
    },
  };
}
