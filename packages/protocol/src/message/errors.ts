// The one error type every parser and validator of this package raises.
//
// Convention (whole package): parsers THROW a `ProtocolError` and nothing else — never a raw
// TypeError/SyntaxError. Callers that prefer values wrap a call in `protocolResult(() => ...)`.
// Verification functions (signatures, proofs, `verifyMessageKind`) never throw: they answer false.

export type ProtocolErrorCode =
  /** Not JSON at all (syntax), or trailing characters. */
  | 'invalid_json'
  /** Nesting deeper than serde_json's recursion limit (128). */
  | 'too_deep'
  /** A JSON value of the wrong type (string where an integer is expected, …). */
  | 'invalid_type'
  /** A JSON number with a fraction/exponent where the reference wants an integer. */
  | 'not_integer'
  /** An integer outside the reference type's range (u8, u32, u64, i64) or outside JS safe integers. */
  | 'out_of_range'
  | 'missing_field'
  /** An extra key in a `deny_unknown_fields` struct (SmallOrder). */
  | 'unknown_field'
  | 'duplicate_field'
  /** Unknown action / wrapper / payload key / enum spelling. */
  | 'unknown_variant'
  /** A tuple (array) with the wrong number of elements. */
  | 'invalid_arity'
  | 'invalid_uuid'
  /** A string that is not valid Unicode (lone surrogate): Rust strings cannot hold it. */
  | 'invalid_string'
  /** A value the serializer cannot emit canonically (e.g. non-integer amount in a typed Message). */
  | 'invalid_value'
  /** Malformed hex key / signature handed to a signing function. */
  | 'invalid_hex'
  /** Event-level problems (events/*): wrong kind, missing or malformed tag, bad content. */
  | 'wrong_kind'
  | 'missing_tag'
  | 'invalid_tag'
  | 'invalid_content'
  | 'invalid_event';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  /** Dotted path of the offending field, e.g. `order.payload.order.amount`; '' for the root. */
  readonly path: string;

  constructor(code: ProtocolErrorCode, path: string, detail: string) {
    super(path ? `${code} at ${path}: ${detail}` : `${code}: ${detail}`);
    this.code = code;
    this.path = path;
  }
}

export type ProtocolResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/** Runs a throwing parser and returns its outcome as a value. Non-ProtocolErrors are bugs and rethrown. */
export function protocolResult<T>(run: () => T): ProtocolResult<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error };
    throw error;
  }
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return value instanceof ProtocolError;
}
