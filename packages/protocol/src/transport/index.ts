// Both Mostro transports behind one pair of functions, dispatching on the transport / event kind.
//
// Error convention: unwrapMessage never throws. It returns
//   * null                 — the event is not addressed to this key (decryption failed): try another key;
//   * { ok: false, code }  — a TransportFailure: wrong kind, bad signature, malformed tuple, …;
//   * { ok: true, … }      — Unwrapped, with the verdict of every check.
// wrapMessage throws only on programmer error (a message that cannot be serialized canonically,
// a malformed recipient key), never on account of received data.
import { type NostrEvent, readNostrEvent } from '../crypto/event.ts';
import { TRANSPORT_KIND } from '../message/enums.ts';
import { unwrapDirect, wrapDirect } from './direct.ts';
import { unwrapGiftWrap, wrapGiftWrap } from './gift-wrap.ts';
import type { UnwrapOptions, UnwrapResult, WrapParams } from './types.ts';

export * from './direct.ts';
export * from './gift-wrap.ts';
export { randomBelow, TWO_DAYS, tweakedTime } from './time.ts';
export type * from './types.ts';

export function wrapMessage(params: WrapParams): NostrEvent {
  const { transport, ...rest } = params;
  if (transport === 'gift-wrap') return wrapGiftWrap(rest);
  if (transport === 'nip44') return wrapDirect(rest);
  throw new RangeError(`unknown transport: ${String(transport)}`);
}

export function unwrapMessage(input: unknown, mySecretKey: Uint8Array, opts: UnwrapOptions = {}): UnwrapResult {
  const event = readNostrEvent(input);
  if (!event) {
    return { ok: false, code: 'invalid_event', detail: 'not a valid Nostr event', layers: {}, checks: {} };
  }
  try {
    if (event.kind === TRANSPORT_KIND['gift-wrap']) return unwrapGiftWrap(event, mySecretKey, opts);
    if (event.kind === TRANSPORT_KIND.nip44) return unwrapDirect(event, mySecretKey, opts);
  } catch (error) {
    // Defensive: every layer already turns bad input into values; an exception here is a bug we
    // still refuse to propagate into a node's event loop.
    return {
      ok: false,
      code: 'invalid_event',
      detail: `unexpected: ${(error as Error).message}`,
      layers: { outer: event },
      checks: {},
    };
  }
  return {
    ok: false,
    code: 'wrong_kind',
    detail: `kind ${event.kind} is not a Mostro transport (1059 or 14)`,
    layers: { outer: event },
    checks: {},
  };
}
