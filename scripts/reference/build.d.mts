// Types for build.mjs (imported by TypeScript tests).
export declare const MOSTROD_VERSION: string;
export declare const MOSTRO_CLI_VERSION: string;
export type ReferenceBinary = 'mostrod' | 'mostro-cli';
export declare function referenceCacheDir(): string;
export declare function referenceBinaryPath(name: ReferenceBinary): string;
export declare function haveReference(name: ReferenceBinary): boolean;
export declare function ensureReferenceBinary(name: ReferenceBinary): Promise<string>;
export declare function ensureReference(): Promise<{ mostrod: string; mostroCli: string }>;
