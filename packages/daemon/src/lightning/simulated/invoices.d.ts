// Types for the parts of the untyped `invoices` package (BOLT-11, by the author of `lightning`) we use.
declare module 'invoices' {
  interface UnsignedRequestArgs {
    cltv_delta?: number;
    created_at?: string;
    description?: string;
    destination: string;
    expires_at?: string;
    features?: { bit: number }[];
    id: string;
    mtokens?: string;
    network: string;
    payment?: string;
  }
  interface UnsignedRequest {
    hash: string;
    hrp: string;
    preimage: string;
    tags: number[];
  }
  interface ParsedRequest {
    cltv_delta: number;
    created_at: string;
    description?: string;
    description_hash?: string;
    destination: string;
    expires_at: string;
    features: { bit: number; is_required: boolean; type: string }[];
    id: string;
    is_expired: boolean;
    mtokens: string;
    network: string;
    payment?: string;
    tokens: number;
  }
  const invoices: {
    createUnsignedRequest(args: UnsignedRequestArgs): UnsignedRequest;
    createSignedRequest(args: { destination: string; hrp: string; signature: string; tags: number[] }): {
      request: string;
    };
    parsePaymentRequest(args: { request: string }): ParsedRequest;
  };
  export default invoices;
}
