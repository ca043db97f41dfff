// Canonical Mostro JSON (protocol.md §1.8): byte-identical to serde_json::to_string of the Rust
// types, and a parser exactly as strict as serde_json::from_str on them.
//
// Error convention: every parse/serialize function here THROWS a ProtocolError (code + path of the
// offending field, e.g. `order.payload.order.amount`) and never any other exception. Use
// `protocolResult(() => parseMessage(text))` for a result value instead.
import { type Codec, child, oneOf, taggedUnion, tuple } from './codec.ts';
import { WRAPPERS } from './enums.ts';
import { ProtocolError } from './errors.ts';
import { type JsonValue, readJson } from './json.ts';
import { messageKindCodec, payloadCodec, smallOrderCodec } from './schema.ts';
import type { Message, MessageKind, Payload, SmallOrder } from './types.ts';

const wrapperCodec = taggedUnion<Record<string, MessageKind>>(
  Object.fromEntries(WRAPPERS.map((w) => [w, messageKindCodec])),
  'message wrapper',
);
const wrapperName = oneOf(WRAPPERS, 'message wrapper');

const messageCodec: Codec<Message> = {
  write(m, path) {
    if (typeof m !== 'object' || m === null) throw new ProtocolError('invalid_value', path, 'expected a Message');
    wrapperName.write(m.wrapper, child(path, 'wrapper'));
    return wrapperCodec.write({ [m.wrapper]: m.kind }, path);
  },
  read(json, path) {
    const decoded = wrapperCodec.read(json, path);
    const [wrapper, kind] = Object.entries(decoded)[0]!;
    return { wrapper: wrapper as Message['wrapper'], kind };
  },
};

function parseWith<T>(codec: Codec<T>, text: string): T {
  const json = readJson(text);
  return codec.read(json, '');
}

/** serde_json::to_string(&Message): `{"order":{"version":2,"request_id":null,…}}`. */
export function serializeMessage(m: Message): string {
  return messageCodec.write(m, '');
}

export function serializeMessageKind(kind: MessageKind): string {
  return messageKindCodec.write(kind, '');
}

export function serializePayload(payload: Payload): string {
  return payloadCodec.write(payload, '');
}

export function serializeSmallOrder(order: SmallOrder): string {
  return smallOrderCodec.write(order, '');
}

/**
 * serde_json::from_str::<Message>: one known wrapper key; MessageKind unknown keys ignored;
 * SmallOrder unknown keys rejected; tuple arity exact; integers must be JSON integers in range;
 * `request_id` kept exact as a bigint; UUIDs normalized to lowercase hyphenated.
 */
export function parseMessage(json: string): Message {
  return parseWith(messageCodec, json);
}

export function parseMessageKind(json: string): MessageKind {
  return parseWith(messageKindCodec, json);
}

export function parsePayload(json: string): Payload {
  return parseWith(payloadCodec, json);
}

export function parseSmallOrder(json: string): SmallOrder {
  return parseWith(smallOrderCodec, json);
}

/** Decodes an already-read JSON tree (json.ts `readJson`) as a Message, e.g. the first tuple element. */
export function messageFromJson(json: JsonValue, path = ''): Message {
  return messageCodec.read(json, path);
}

// ---------------------------------------------------------------------------------------------
// The decrypted content tuples of §1.2:
//   v1: [<message>, <trade_sig | null>]
//   v2: [<message>, <trade_sig | null>, [<identity_pubkey_hex>, <identity_sig_hex>] | null]

/** v2 identity proof: identity pubkey and its Schnorr signature over the proof digest (sign.ts). */
export interface IdentityProof {
  pubkey: string;
  sig: string;
}

export interface ContentTuple {
  message: Message;
  tradeSig: string | null;
  /** Always null for v1 tuples. */
  identityProof: IdentityProof | null;
}

function hexCodec(bytes: number, what: string): Codec<string> {
  const pattern = new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`);
  return {
    write(value, path) {
      if (typeof value !== 'string' || !pattern.test(value)) {
        throw new ProtocolError('invalid_hex', path, `expected ${bytes}-byte hex ${what}`);
      }
      return `"${value.toLowerCase()}"`;
    },
    read(json, path) {
      if (typeof json !== 'string' || !pattern.test(json)) {
        throw new ProtocolError('invalid_hex', path, `expected ${bytes}-byte hex ${what}`);
      }
      return json.toLowerCase();
    },
  };
}

const sigCodec = hexCodec(64, 'Schnorr signature');
const pubkeyCodec = hexCodec(32, 'x-only public key');
const nullableSig: Codec<string | null> = {
  write: (v, path) => (v === null || v === undefined ? 'null' : sigCodec.write(v, path)),
  read: (json, path) => (json === null ? null : sigCodec.read(json, path)),
};
const proofCodec: Codec<IdentityProof | null> = {
  write: (v, path) => (v === null || v === undefined ? 'null' : tuplePair.write([v.pubkey, v.sig], path)),
  read(json, path) {
    if (json === null) return null;
    const [pubkey, sig] = tuplePair.read(json, path);
    return { pubkey, sig };
  },
};
const tuplePair = tuple<[string, string]>(pubkeyCodec, sigCodec);
const tupleV1 = tuple<[Message, string | null]>(messageCodec, nullableSig);
const tupleV2 = tuple<[Message, string | null, IdentityProof | null]>(messageCodec, nullableSig, proofCodec);

export function serializeTupleV1(message: Message, tradeSig: string | null): string {
  return tupleV1.write([message, tradeSig], '');
}

export function serializeTupleV2(
  message: Message,
  tradeSig: string | null,
  identityProof: IdentityProof | null,
): string {
  return tupleV2.write([message, tradeSig, identityProof], '');
}

/** Exactly 2 elements, like Rust's `(Message, Option<Signature>)`. Paths are `[0].order.…`. */
export function parseTupleV1(json: string): ContentTuple {
  const [message, tradeSig] = parseWith(tupleV1, json);
  return { message, tradeSig, identityProof: null };
}

/** Exactly 3 elements. */
export function parseTupleV2(json: string): ContentTuple {
  const [message, tradeSig, identityProof] = parseWith(tupleV2, json);
  return { message, tradeSig, identityProof };
}
