// The secp256k1 operations the protocol needs, behind one small interface so that a node can put a
// WebAssembly libsecp256k1 on its hot paths while @noble/curves stays the audited reference.
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';

export interface SecpBackend {
  readonly name: string;
  /** x-only public key (32 bytes). */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** BIP-340; `aux` defaults to fresh randomness. */
  schnorrSign(message32: Uint8Array, secretKey: Uint8Array, aux?: Uint8Array): Uint8Array;
  schnorrVerify(signature: Uint8Array, message32: Uint8Array, publicKey: Uint8Array): boolean;
  /** x coordinate of secretKey × lift_x(publicKey) (even Y), unhashed: Nostr/NIP-44 ECDH. */
  ecdhX(secretKey: Uint8Array, publicKeyXOnly: Uint8Array): Uint8Array;
}

export const nobleSecp: SecpBackend = {
  name: '@noble/curves',
  getPublicKey: (sk) => schnorr.getPublicKey(sk),
  schnorrSign: (msg, sk, aux) => schnorr.sign(msg, sk, aux),
  schnorrVerify: (sig, msg, pub) => {
    try {
      return schnorr.verify(sig, msg, pub);
    } catch {
      return false;
    }
  },
  ecdhX: (sk, pub) => {
    const compressed = new Uint8Array(33);
    compressed[0] = 2;
    compressed.set(pub, 1);
    return secp256k1.getSharedSecret(sk, compressed, true).subarray(1, 33);
  },
};
