// Every failure the SDK reports is a ClientError: a stable `code`, a message that names the cause,
// and a `fix` that tells a person what to do about it. Front ends print both; programs switch on code.

export type ClientErrorCode =
  | 'no_session'
  | 'session_exists'
  | 'wrong_passphrase'
  | 'corrupt_session'
  | 'unsupported_session_version'
  | 'invalid_mnemonic'
  | 'invalid_input'
  | 'no_node'
  | 'node_unreachable'
  | 'no_relays'
  | 'timeout'
  | 'cant_do'
  | 'unknown_trade'
  | 'not_allowed'
  | 'store_locked'
  | 'io';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** What the user can do about it, in one sentence. */
    readonly fix: string,
    /** Extra machine-readable detail (e.g. the cant-do reason). */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export function isClientError(value: unknown): value is ClientError {
  return value instanceof ClientError;
}
