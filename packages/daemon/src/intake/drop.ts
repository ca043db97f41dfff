// Why the intake dropped an event without answering (protocol.md §1.7). Every one of these is silent
// on the wire; the node counts them and logs them at debug level.
export type DropReason =
  | 'insufficient_pow'
  | 'wrong_kind'
  | 'bad_outer_signature'
  | 'replayed'
  | 'first_contact_pow'
  | 'not_for_us'
  | 'malformed'
  | 'stale'
  | 'future'
  | 'rate_limited'
  | 'missing_trade_signature'
  | 'bad_trade_signature'
  | 'bad_identity_proof'
  | 'trade_index_missing_signature'
  | 'zero_trade_index'
  | 'verify_failed';
