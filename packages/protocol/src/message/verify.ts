// MessageKind::verify() (protocol.md §4.3 as amended by reference-0.20.md §1.2): the structural check mostrod applies before dispatch;
// a message failing it is dropped silently. Pure and total: never throws.
import type { Action } from './enums.ts';
import type { Message, MessageKind, Payload } from './types.ts';

function payloadKey(payload: Payload | null | undefined): string | null {
  if (payload === null || payload === undefined || typeof payload !== 'object') return null;
  const keys = Object.keys(payload);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}

const hasId = (kind: MessageKind): boolean => kind.id !== undefined && kind.id !== null;

export function verifyMessageKind(kind: MessageKind): boolean {
  if (typeof kind !== 'object' || kind === null) return false;
  const key = payloadKey(kind.payload);
  const action: Action = kind.action;
  switch (action) {
    case 'new-order':
      return key === 'order';
    case 'pay-invoice':
    case 'pay-bond-invoice':
    case 'add-invoice':
      return hasId(kind) && key === 'payment_request';
    case 'add-bond-invoice':
      return hasId(kind) && (key === 'bond_payout_request' || key === 'payment_request');
    case 'admin-settle':
    case 'admin-cancel':
      return hasId(kind) && (key === null || key === 'bond_resolution');
    case 'add-cashu-escrow':
      return hasId(kind) && key === 'cashu_lock_proof';
    case 'cashu-pm-signature': {
      if (!hasId(kind) || key !== 'cashu_signatures') return false;
      const signatures = (kind.payload as { cashu_signatures: unknown[] }).cashu_signatures;
      return Array.isArray(signatures) && signatures.length > 0;
    }
    case 'payment-failed':
      return hasId(kind) && key === 'payment_failed';
    case 'rate-user':
      return key === 'rating_user';
    case 'cant-do':
      return key === 'cant_do';
    case 'orders':
      return key === 'ids' || key === 'orders';
    case 'last-trade-index':
    case 'restore-session':
      return kind.payload === null || kind.payload === undefined;
    case 'user-info':
      return !hasId(kind) && (key === null || key === 'user_info');
    case 'declare-payer':
    case 'payer-declared':
      return hasId(kind) && key === 'payer_declaration';
    case 'payment-history':
      return hasId(kind) && (key === null || key === 'payment_history');
    case 'export-reputation':
      return !hasId(kind) && key === 'reputation_export_request';
    case 'reputation-exported':
    case 'import-reputation':
      return !hasId(kind) && key === 'reputation_attestation';
    case 'reputation-imported':
      return !hasId(kind) && key === null;
    default:
      return hasId(kind) && (key === null || !GENERIC_ARM_EXCLUDED.has(key));
  }
}

/** Payloads the catch-all arm refuses: each belongs to one action family only. */
const GENERIC_ARM_EXCLUDED: ReadonlySet<string> = new Set([
  'bond_resolution',
  'bond_payout_request',
  'payer_declaration',
  'payment_history',
  'user_info',
]);

/** `Message::verify`: the kind's rules, and `user-info` only inside the `restore` wrapper. */
export function verifyMessage(message: Message): boolean {
  if (message.kind.action === 'user-info' && message.wrapper !== 'restore') return false;
  return verifyMessageKind(message.kind);
}
