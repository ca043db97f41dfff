// libsecp256k1 compiled to WebAssembly (tiny-secp256k1) behind the same SecpBackend interface as
// @noble/curves: the node's hot paths (signature checks, ECDH for every inbound event) run here.
import * as ecc from 'tiny-secp256k1';
import type { SecpBackend } from './secp.ts';

/** Compressed point with even Y: how Nostr lifts an x-only key (BIP-340 lift_x). */
function liftX(publicKeyXOnly: Uint8Array): Uint8Array {
  const compressed = new Uint8Array(33);
  compressed[0] = 2;
  compressed.set(publicKeyXOnly, 1);
  return compressed;
}

export const wasmSecp: SecpBackend = {
  name: 'tiny-secp256k1 (libsecp256k1 wasm)',
  getPublicKey: (sk) => ecc.xOnlyPointFromScalar(sk),
  schnorrSign: (msg, sk, aux) => ecc.signSchnorr(msg, sk, aux ?? crypto.getRandomValues(new Uint8Array(32))),
  schnorrVerify: (sig, msg, pub) => {
    // tiny-secp256k1 throws on malformed input (not a point, wrong length); a verifier answers false.
    try {
      return ecc.verifySchnorr(msg, pub, sig);
    } catch {
      return false;
    }
  },
  ecdhX: (sk, pub) => {
    const shared = ecc.pointMultiply(liftX(pub), sk, true);
    if (!shared) throw new Error('ecdh: point at infinity');
    return shared.subarray(1, 33);
  },
};
