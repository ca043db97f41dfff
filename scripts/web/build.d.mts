// Types for build.mjs (imported by TypeScript tests).
/** Builds packages/web/dist when it is missing (or when MOSTRO_WEB_REBUILD=1). */
export declare function ensureWebBuilt(): void;
