// The intake pipeline (protocol.md §1.7), in the reference's order: PoW → kind → outer signature →
// replay window and first-contact PoW → unwrap → freshness → signature rules → trade-index rules →
// verify matrix. Cheap checks first; nothing here changes state except the processed-id mark, which
// is written only after the outer signature proved the event genuine (so a forged copy cannot
// censor the real one).
import type { MessageKind, Transport, Wrapper } from '@mostro/protocol';
import { isNostrEvent, verifyMessage } from '@mostro/protocol';
import type { NostrEvent } from 'nostr-tools';
import { getPow } from 'nostr-tools/nip13';
import type { Request } from '../app/request.ts';
import { REFUSED_IN_MAINTENANCE } from '../health/maintenance.ts';
import type { DropReason } from './drop.ts';
import { FRESHNESS_SECONDS, judgeFreshness } from './freshness.ts';
import type { ActiveKeys, RecentIds, SenderRateLimit } from './spam-gate.ts';
import type { TradeIndexVerdict } from './trade-index.ts';

/** What unwrapping proved about a message (the transport layer's result, narrowed to our needs). */
export interface Opened {
  transport: Transport;
  wrapper: Wrapper;
  message: MessageKind;
  sender: string;
  identity: string;
  createdAt: number;
  tradeSignature: string | null;
  tradeSignatureValid: boolean | null; // null = absent
  identityProofValid: boolean | null; // null = absent (v1, or full privacy)
}

export interface IntakeDeps {
  pow: number;
  powFirstContact: number;
  now(): number;
  verifyOuter(event: NostrEvent): boolean;
  /** null = not addressed to us; throws (any error) = malformed. */
  open(event: NostrEvent): Promise<Opened | null>;
  recentIds: RecentIds;
  activeKeys: ActiveKeys;
  /** Flood guard per trade key; absent = unlimited. */
  rateLimit?: SenderRateLimit;
  nowMs?(): number;
  /** Persists the id; false when it was processed before (a replay, or a restart). */
  markProcessed(eventId: string): boolean;
  checkTradeIndex(request: Request): TradeIndexVerdict;
  /** Oldest a message may be when it arrives (seconds); default 10 s. */
  maxAgeSeconds?: number;
  /** Maintenance mode on (health/maintenance.ts); absent = never. */
  maintenance?(): boolean;
  /** Whether the node offers reputation export / import (reputation/offered.ts); absent = neither. */
  reputationOffered?(action: 'export-reputation' | 'import-reputation'): boolean;
}

export type IntakeResult =
  | { outcome: 'accepted'; request: Request }
  | { outcome: 'dropped'; reason: DropReason; detail?: string }
  | { outcome: 'cant-do'; request: Request; reason: IntakeCantDo };

/** The only reasons the intake itself answers with (everything else it drops silently). */
export type IntakeCantDo =
  | 'invalid_trade_index'
  | 'invalid_signature'
  | 'invalid_action'
  | 'invalid_payload'
  | 'maintenance_mode';

const HEX64 = /^[0-9a-f]{64}$/;

/** The checks before the outer signature, cheapest first: structure, PoW, kind. */
export function dropsBeforeSignature(event: NostrEvent, pow: number): DropReason | null {
  if (!isNostrEvent(event) || !HEX64.test(event.id)) return 'malformed';
  if (getPow(event.id) < pow) return 'insufficient_pow';
  if (event.kind !== 14 && event.kind !== 1059) return 'wrong_kind';
  return null;
}

/**
 * `receivedAt` is when the event reached the node (unix seconds, stamped before any queueing);
 * freshness and the replay window are judged against it. Default: now.
 */
export async function runIntake(event: NostrEvent, deps: IntakeDeps, receivedAt = deps.now()): Promise<IntakeResult> {
  const drop = (reason: DropReason, detail?: string): IntakeResult => ({ outcome: 'dropped', reason, detail });
  const early = dropsBeforeSignature(event, deps.pow);
  if (early) return drop(early, early === 'malformed' ? 'not a Nostr event' : undefined);
  if (!deps.verifyOuter(event)) return drop('bad_outer_signature');

  if (event.kind === 14) {
    if (!deps.recentIds.admit(event.id, receivedAt)) return drop('replayed');
    const required = Math.max(deps.pow, deps.powFirstContact);
    if (!deps.activeKeys.has(event.pubkey) && getPow(event.id) < required) return drop('first_contact_pow');
  }
  if (!deps.markProcessed(event.id)) return drop('replayed');

  let opened: Opened | null;
  try {
    opened = await deps.open(event);
  } catch (error) {
    return drop('malformed', error instanceof Error ? error.message : String(error));
  }
  if (!opened) return drop('not_for_us');
  const freshness = judgeFreshness(opened.createdAt, receivedAt, deps.maxAgeSeconds ?? FRESHNESS_SECONDS);
  if (freshness !== 'fresh') return drop(freshness);
  if (deps.rateLimit && !deps.rateLimit.admit(opened.sender, deps.nowMs?.() ?? deps.now() * 1000))
    return drop('rate_limited');

  const request: Request = {
    eventId: event.id,
    transport: opened.transport,
    wrapper: opened.wrapper,
    message: opened.message,
    sender: opened.sender,
    identity: opened.identity,
    fullPrivacy: opened.identity === opened.sender,
    tradeSignature: opened.tradeSignature,
    createdAt: opened.createdAt,
  };
  // 0.20 §2.2 steps 5 and 7: a user-info whose signatures fail is told so; anything else is dropped.
  const signatureFailure: IntakeResult | null =
    opened.message.action === 'user-info' ? { outcome: 'cant-do', request, reason: 'invalid_signature' } : null;
  if (opened.tradeSignatureValid === false) return signatureFailure ?? drop('bad_trade_signature');
  if (opened.identityProofValid === false) return signatureFailure ?? drop('bad_identity_proof');
  if (opened.identity !== opened.sender && opened.tradeSignature === null) {
    return signatureFailure ?? drop('missing_trade_signature');
  }

  // 0.20 §2.2 step 8: before the trade-index check, so a refused trade writes no user row or index.
  if (REFUSED_IN_MAINTENANCE.has(request.message.action) && deps.maintenance?.()) {
    return { outcome: 'cant-do', request, reason: 'maintenance_mode' };
  }
  const index = deps.checkTradeIndex(request);
  if (index === 'invalid_trade_index') return { outcome: 'cant-do', request, reason: 'invalid_trade_index' };
  if (index !== 'ok') return drop(index);
  if (!verifyMessage({ wrapper: request.wrapper, kind: request.message })) {
    // 0.20 §2.2 step 10: a malformed reputation export/import is answered: invalid_payload when the
    // node offers that feature, invalid_action when it does not.
    const action = request.message.action;
    if ((action === 'import-reputation' || action === 'export-reputation') && request.wrapper === 'order') {
      if (!request.message.id) {
        const offered = deps.reputationOffered?.(action) ?? false;
        return { outcome: 'cant-do', request, reason: offered ? 'invalid_payload' : 'invalid_action' };
      }
    }
    return drop('verify_failed');
  }
  return { outcome: 'accepted', request };
}
