// A node's cant-do reply as a ClientError that says what to do about it.
import type { MessageKind } from '@mostro/protocol';
import { ClientError } from '../errors.ts';

export function cantDoError(k: MessageKind, what: string): ClientError {
  const reason = (k.payload && 'cant_do' in k.payload ? k.payload.cant_do : null) ?? 'invalid_action';
  return new ClientError(
    'cant_do',
    `the node refused (${reason}) while waiting for ${what}`,
    CANT_DO_FIX[reason] ?? 'check the order id and its state with `mostro trades`',
    reason,
  );
}

const CANT_DO_FIX: Record<string, string> = {
  not_found: 'check the id: the node does not know it',
  reputation_identity_required: 'reputation needs reputation mode (an identity); full-private sessions have none',
  not_eligible_for_reputation_export: 'export needs 10 completed trades and 5 ratings received on that node',
  reputation_bound_to_other_identity:
    'that reputation was already exported to another identity; only that identity can authorise a move (rebind)',
  invalid_reputation_rebind: 'the rebind authorisation is not valid (signer, issuer, destination or expiry)',
  invalid_reputation_attestation: 'the attestation file is damaged or not an attestation',
  untrusted_reputation_issuer: "this node does not trust the attestation's issuer (see `mostro node`)",
  expired_reputation_attestation: 'the attestation expired: export a fresh one from the issuing node',
  reputation_identity_mismatch: 'the attestation was issued for another identity than this session’s',
  reputation_already_imported: 'a reputation from this issuer was already imported for this account or identity',
  invalid_trade_index: 'run `mostro restore` to resynchronize the trade index, then retry',
  invalid_signature: 'your session may be damaged; restore from the mnemonic',
  invalid_order_status: 'the order is not in a state that allows this (taken, expired or canceled?)',
  not_allowed_by_status: 'the order is not in a state that allows this; see `mostro trades`',
  is_not_your_order: 'this order belongs to someone else',
  invalid_pubkey: 'this action is for the other party of the trade (or you are the maker of this order)',
  invalid_peer: 'this action is for the other party of the trade',
  out_of_range_sats_amount: "the amount is outside the node's limits or the order's range (see `mostro node`)",
  out_of_range_fiat_amount: "the fiat amount is outside the order's range",
  invalid_amount: 'check the amounts (positive integers; a range needs min < max and no sats amount)',
  invalid_parameters: 'a market order (no sats amount) may carry a premium; a fixed sats order must have premium 0',
  price_too_stale: 'the node has no fresh price for this currency: give a sats amount, or retry later',
  invalid_fiat_currency: 'the node does not accept this currency (see `mostro node`)',
  invalid_invoice: 'the invoice is invalid, expired, for the wrong network or the wrong amount (amount − fee)',
  pending_order_exists: 'finish (or cancel) your other trade waiting for you first',
  order_already_canceled: 'the order is already canceled',
  too_many_requests: 'ask for fewer orders at once',
  not_authorized: 'your key is not allowed to do this on this node',
  is_not_your_dispute: 'the dispute is assigned to another solver',
  dispute_taken_by_admin: 'the node operator took over this dispute',
  invalid_dispute_status: 'the dispute is not open',
  invalid_text_message: 'the text must be an npub, optionally with :read, :write or :read-write',
  maintenance_mode: 'the node is in maintenance: it takes no new orders or takes now (open trades go on); retry later',
};
