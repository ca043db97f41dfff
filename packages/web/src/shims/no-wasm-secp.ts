// Stand-in for tiny-secp256k1 in the browser build (see vite.config.ts): nothing in the client
// calls the wasm backend; if something ever did, it fails loudly instead of silently.
const unavailable = (): never => {
  throw new Error('libsecp256k1 (wasm) is not part of the browser build; use the @noble/curves backend');
};
export const xOnlyPointFromScalar = unavailable;
export const signSchnorr = unavailable;
export const verifySchnorr = unavailable;
export const pointMultiply = unavailable;
