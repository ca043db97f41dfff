// v2 transport: a signed kind 14 authored by the trade key, NIP-44 content (protocol.md §1.4).
import { bytesToHex } from '@noble/hashes/utils.js';
import { type NostrEvent, signUnsigned, verifyEventSignature } from '../crypto/event.ts';
import { nip44Encrypt } from '../crypto/nip44.ts';
import { minePow } from '../crypto/pow.ts';
import { nobleSecp } from '../crypto/secp.ts';
import { parseTupleV2, serializeTupleV2 } from '../message/canonical.ts';
import { signIdentityProof, signMessage, verifyIdentityProof } from '../message/sign.ts';
import { convKey, fail, myPublicKey, parseTuple, tradeSignatureVerdict, tryDecrypt } from './common.ts';
import { nowSeconds } from './time.ts';
import type { Layers, TransportChecks, UnwrapOptions, UnwrapResult, WrapParams } from './types.ts';

export const DIRECT_KIND = 14;

/** Build the kind 14 event. The identity proof is attached iff identity key ≠ trade key. */
export function wrapDirect(p: Omit<WrapParams, 'transport'>): NostrEvent {
  const secp = p.secp ?? nobleSecp;
  const tradePub = bytesToHex(secp.getPublicKey(p.tradeKey));
  const tradeSig = p.signed === false ? null : signMessage(p.message, p.tradeKey, { secp });
  let proof = null;
  if (p.identityKey) {
    const identityPub = bytesToHex(secp.getPublicKey(p.identityKey));
    if (identityPub !== tradePub) {
      proof = { pubkey: identityPub, sig: signIdentityProof(tradePub, p.message, p.identityKey, { secp }) };
    }
  }
  const tags: string[][] = [['p', p.recipient]];
  if (p.expiration !== undefined) tags.push(['expiration', String(p.expiration)]);
  const unsigned = {
    kind: DIRECT_KIND,
    pubkey: tradePub,
    created_at: p.createdAt ?? nowSeconds(), // real time: no NIP-59 tweak on v2
    tags,
    content: nip44Encrypt(
      serializeTupleV2(p.message, tradeSig, proof),
      convKey(p.tradeKey, tradePub, p.recipient, secp, p.convKeyCache),
    ),
  };
  return signUnsigned(p.pow ? minePow(unsigned, p.pow) : unsigned, p.tradeKey, { secp });
}

/** Unwrap a kind 14 addressed to (or written by) `secretKey`. See UnwrapResult. */
export function unwrapDirect(event: NostrEvent, secretKey: Uint8Array, opts: UnwrapOptions = {}): UnwrapResult {
  const secp = opts.secp ?? nobleSecp;
  const layers: Layers = { outer: event };
  const checks: Partial<TransportChecks> = {};
  const t = 'nip44' as const;

  // mostro-core verifies the event before decrypting (a hard error, not "not for me").
  checks.outerSignature = opts.outerVerified || verifyEventSignature(event, secp) ? 'valid' : 'invalid';
  if (checks.outerSignature === 'invalid')
    return fail('bad_outer_signature', 'event id or signature invalid', t, layers, checks);

  const me = myPublicKey(secretKey, secp, opts.myPublicKey);
  // Our own outgoing event (e.g. inspected by its author) decrypts with the recipient's key.
  const peer = event.pubkey === me ? event.tags.find((tag) => tag[0] === 'p')?.[1] : event.pubkey;
  if (peer === undefined) return null;
  const plaintext = tryDecrypt(event.content, () => convKey(secretKey, me, peer, secp, opts.convKeyCache));
  if (plaintext === null) return null;
  layers.plaintext = plaintext;

  const tuple = parseTuple(parseTupleV2, plaintext);
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
  const sender = event.pubkey;
  checks.tradeSignature = tradeSignatureVerdict(tuple, sender, secp);
  if (checks.tradeSignature === 'invalid') {
    return fail('bad_trade_signature', 'trade signature does not verify against the event author', t, layers, checks);
  }
  const proof = tuple.identityProof;
  // The proof binds event.pubkey: a proof grafted onto another trade key's event fails here.
  checks.identityProof = !proof
    ? 'absent'
    : verifyIdentityProof(sender, tuple.message, proof.pubkey, proof.sig, secp)
      ? 'valid'
      : 'invalid';
  if (checks.identityProof === 'invalid') {
    return fail('bad_identity_proof', 'identity proof does not verify for this author and message', t, layers, checks);
  }
  const identity = proof ? proof.pubkey : sender;
  if (opts.from !== undefined && (sender !== opts.from || identity !== opts.from)) {
    return fail('unexpected_sender', `message from ${identity}/${sender}, expected ${opts.from}`, t, layers, checks);
  }
  return {
    ok: true,
    transport: t,
    message: tuple.message,
    tradeSignature: tuple.tradeSig,
    identityProof: proof,
    sender,
    identity,
    createdAt: event.created_at,
    checks: checks as TransportChecks,
    layers: { outer: event, plaintext },
  };
}
