// Types for mostrod.mjs (imported by TypeScript tests).
export interface RegtestLnd {
  grpcHost: string;
  certPath: string;
  macaroonPath: string;
}
export declare function regtestLnd(name: string, env?: Record<string, string | undefined>): RegtestLnd;
export declare function referenceSettingsToml(options: {
  dir: string;
  nsec: string;
  relays: string[];
  lnd: RegtestLnd;
  priceUrl: string;
  fee?: number;
  currencies?: string[];
  /** More sections appended to settings.toml (e.g. `[reputation_import]`). */
  extraToml?: string;
}): string;
export interface ReferenceMostrod {
  pubkey: string;
  secretKeyHex: string;
  dir: string;
  output(): string;
  exited(): boolean;
  close(): Promise<void>;
}
export declare function startReferenceMostrod(options: {
  relays: string[];
  lnd: RegtestLnd;
  prices?: Record<string, number>;
  fee?: number;
  currencies?: string[];
  /** More sections appended to settings.toml (e.g. `[reputation_import]`). */
  extraToml?: string;
}): Promise<ReferenceMostrod>;
