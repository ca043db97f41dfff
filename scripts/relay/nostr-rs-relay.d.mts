// Types for nostr-rs-relay.mjs (imported by TypeScript tests).
export declare const NOSTR_RS_RELAY_VERSION: string;
export declare function nostrRsRelayCacheDir(): string;
/** Path of the nostr-rs-relay binary, building it with cargo first if needed. */
export declare function ensureNostrRsRelay(): Promise<string>;
export type NostrRsRelay = { url: string; port: number; dataDir: string; close(): Promise<void> };
export declare function startNostrRsRelay(options?: {
  /** 0 or absent: a free port. */
  port?: number;
  startTimeoutMs?: number;
  /** Default true: the relay's own output is not shown. */
  quiet?: boolean;
}): Promise<NostrRsRelay>;
