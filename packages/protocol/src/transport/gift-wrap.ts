// v1 transport: NIP-59 gift wrap → seal → rumor, as mostro-core's nip59 module (protocol.md §1.3).
// Deliberate NIP-59 deviation: in reputation mode the seal is signed by the identity key while the
// rumor is authored by the trade key, so seal.pubkey ≠ rumor.pubkey is accepted.
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateSecretKey, getEventHash } from 'nostr-tools/pure';
import {
  eventIdMatches,
  isNostrEvent,
  isUnsignedEvent,
  type NostrEvent,
  signEvent,
  signUnsigned,
  verifyEventSignature,
} from '../crypto/event.ts';
import { conversationKey, nip44Encrypt } from '../crypto/nip44.ts';
import { minePow } from '../crypto/pow.ts';
import { nobleSecp } from '../crypto/secp.ts';
import { parseTupleV1, serializeTupleV1 } from '../message/canonical.ts';
import { signMessage } from '../message/sign.ts';
import { convKey, fail, myPublicKey, parseTuple, tradeSignatureVerdict, tryDecrypt } from './common.ts';
import { nowSeconds, tweakedTime } from './time.ts';
import type { Layers, Rumor, TransportChecks, UnwrapOptions, UnwrapResult, WrapParams } from './types.ts';

export const GIFT_WRAP_KIND = 1059;
export const SEAL_KIND = 13;
export const RUMOR_KIND = 1;

/** Build the kind 1059 event. */
export function wrapGiftWrap(p: Omit<WrapParams, 'transport'>): NostrEvent {
  const secp = p.secp ?? nobleSecp;
  const tradePub = bytesToHex(secp.getPublicKey(p.tradeKey));
  const tradeSig = p.signed === false ? null : signMessage(p.message, p.tradeKey, { secp });
  const rumorFields = {
    kind: RUMOR_KIND,
    pubkey: tradePub,
    created_at: p.createdAt ?? nowSeconds(), // real time: mostrod's 10 s freshness check reads it
    tags: [],
    content: serializeTupleV1(p.message, tradeSig),
  };
  const rumor: Rumor = { ...rumorFields, id: getEventHash(rumorFields) };

  const sealKey = p.identityKey ?? p.tradeKey; // full privacy: the trade key seals
  const sealPub = p.identityKey ? bytesToHex(secp.getPublicKey(p.identityKey)) : tradePub;
  const seal = signEvent(
    {
      kind: SEAL_KIND,
      created_at: tweakedTime(),
      tags: [],
      content: nip44Encrypt(JSON.stringify(rumor), convKey(sealKey, sealPub, p.recipient, secp, p.convKeyCache)),
    },
    sealKey,
    { secp },
  );

  const wrapKey = generateSecretKey(); // one-time key: the wrap reveals nothing about the sender
  const tags: string[][] = [];
  if (p.expiration !== undefined) tags.push(['expiration', String(p.expiration)]);
  tags.push(['p', p.recipient]);
  const unsigned = {
    kind: GIFT_WRAP_KIND,
    pubkey: bytesToHex(secp.getPublicKey(wrapKey)),
    created_at: tweakedTime(),
    tags,
    content: nip44Encrypt(JSON.stringify(seal), conversationKey(wrapKey, p.recipient, secp)),
  };
  return signUnsigned(p.pow ? minePow(unsigned, p.pow) : unsigned, wrapKey, { secp });
}

/** Unwrap a kind 1059 addressed to `secretKey`. See UnwrapResult. */
export function unwrapGiftWrap(event: NostrEvent, secretKey: Uint8Array, opts: UnwrapOptions = {}): UnwrapResult {
  const secp = opts.secp ?? nobleSecp;
  const layers: Layers = { outer: event };
  const checks: Partial<TransportChecks> = { identityProof: 'absent' };
  const t = 'gift-wrap' as const;

  checks.outerSignature = opts.outerVerified || verifyEventSignature(event, secp) ? 'valid' : 'invalid';
  if (checks.outerSignature === 'invalid')
    return fail('bad_outer_signature', 'gift wrap id or signature invalid', t, layers, checks);

  const me = myPublicKey(secretKey, secp, opts.myPublicKey);
  // The wrap key is one-time: caching its conversation key would only evict useful entries.
  const sealJson = tryDecrypt(event.content, () => conversationKey(secretKey, event.pubkey, secp));
  if (sealJson === null) return null;

  let seal: unknown;
  try {
    seal = JSON.parse(sealJson);
  } catch {
    return fail('malformed_seal', 'seal is not JSON', t, layers, checks);
  }
  if (!isNostrEvent(seal)) return fail('malformed_seal', 'seal is not a signed event', t, layers, checks);
  layers.seal = seal;
  if (seal.kind !== SEAL_KIND) return fail('wrong_seal_kind', `seal kind ${seal.kind}, expected 13`, t, layers, checks);
  checks.sealSignature = verifyEventSignature(seal, secp) ? 'valid' : 'invalid';
  if (checks.sealSignature === 'invalid')
    return fail('bad_seal_signature', 'seal id or signature invalid', t, layers, checks);

  const rumorJson = tryDecrypt(seal.content, () => convKey(secretKey, me, seal.pubkey, secp, opts.convKeyCache));
  if (rumorJson === null) return fail('seal_decrypt_failed', 'seal content does not decrypt', t, layers, checks);
  let rumor: unknown;
  try {
    rumor = JSON.parse(rumorJson);
  } catch {
    return fail('malformed_rumor', 'rumor is not JSON', t, layers, checks);
  }
  if (!isUnsignedEvent(rumor) || typeof rumor.id !== 'string') {
    return fail('malformed_rumor', 'rumor is not an unsigned event with an id', t, layers, checks);
  }
  layers.rumor = rumor as Rumor;
  if (rumor.kind !== RUMOR_KIND)
    return fail('wrong_rumor_kind', `rumor kind ${rumor.kind}, expected 1`, t, layers, checks);
  checks.rumorId = eventIdMatches(rumor) ? 'valid' : 'invalid';
  if (checks.rumorId === 'invalid')
    return fail('bad_rumor_id', 'rumor id is not the hash of its fields', t, layers, checks);

  layers.plaintext = rumor.content;
  const tuple = parseTuple(parseTupleV1, rumor.content);
  if ('error' in tuple) {
    return fail(
      'malformed_content',
      `content tuple: ${(tuple.error as Error).message}`,
      t,
      layers,
      checks,
      tuple.error,
    );
  }
  checks.tradeSignature = tradeSignatureVerdict(tuple, rumor.pubkey, secp);
  if (checks.tradeSignature === 'invalid') {
    return fail('bad_trade_signature', 'trade signature does not verify against the rumor author', t, layers, checks);
  }
  const sender = rumor.pubkey;
  const identity = seal.pubkey;
  if (opts.from !== undefined && (sender !== opts.from || identity !== opts.from)) {
    return fail('unexpected_sender', `message from ${identity}/${sender}, expected ${opts.from}`, t, layers, checks);
  }
  return {
    ok: true,
    transport: t,
    message: tuple.message,
    tradeSignature: tuple.tradeSig,
    identityProof: null,
    sender,
    identity,
    createdAt: rumor.created_at,
    checks: checks as TransportChecks,
    layers: { ...layers, outer: event, plaintext: rumor.content },
  };
}
