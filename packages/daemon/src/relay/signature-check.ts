// The library checks every incoming event's BIP-340 signature with pure-JS @noble/curves, a few
// hundred per second per core; the relay runs inside the node, so that would cap the node's
// message rate. This routes the check through a faster verifier (libsecp256k1 in WebAssembly by
// default). EventUtils is a static class shared by the whole process: the last call wins.

import { hexToBytes } from '@noble/hashes/utils.js';
import { EventUtils } from '@nostr-relay/common';

export type SchnorrVerify = (signature: Uint8Array, message32: Uint8Array, publicKey: Uint8Array) => boolean;

export function useSignatureCheck(schnorrVerify: SchnorrVerify): void {
  EventUtils.isSigValid = (event) => {
    try {
      return schnorrVerify(hexToBytes(event.sig), hexToBytes(event.id), hexToBytes(event.pubkey));
    } catch {
      return false;
    }
  };
}
